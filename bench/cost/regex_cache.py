#!/usr/bin/env python3
"""What a call to re.match / re.compile with a constant pattern costs when re's cache holds it.

PS701's cost model rests on these numbers. `re` keeps compiled patterns in a cache keyed by
(type, pattern, flags): `re._MAXCACHE` = 512 entries (CPython 3.7-3.11 drop the oldest first;
3.12+ keep an LRU of 512 behind a 256-entry FIFO fast path, `re._MAXCACHE2`). So a module-level
function called with a constant pattern pays a dictionary lookup, not a compile. Per call:

  precompiled        PATTERN.match(line)                   the baseline
  re.match(CONST)    re.match(CONST, line)                 lookup + match
  re.compile(CONST)  re.compile(CONST)                     the lookup alone
  rebuilt pattern    re.match(prefix + REST, line)         a pattern string built per call + lookup
  cache miss         re.compile of a new pattern per call  what a pattern that varies per item
                                                           pays (every call, once the cache
                                                           holds more than 512 patterns)

Usage: python3 bench/cost/regex_cache.py [--number N]
"""
import argparse
import re
import sys
import time
import timeit

LINE = "GET /index.html HTTP/1.1 200 5120"
CONST = r"(\w+) (\S+) HTTP/(\d\.\d) (\d+)"
PREFIX, REST = CONST[:5], CONST[5:]
PATTERN = re.compile(CONST)
_fresh = iter(range(10**12))


def precompiled():
    return PATTERN.match(LINE)


def module_function():
    return re.match(CONST, LINE)


def compile_constant():
    return re.compile(CONST)


def rebuilt_pattern():
    return re.match(PREFIX + REST, LINE)


def cache_miss():
    return re.compile(f"{CONST} {next(_fresh)}")


def per_call_ns(function, number):
    # Best of seven: the least disturbed run on a shared machine.
    return min(timeit.repeat(function, number=number, repeat=7, timer=time.process_time)) / number * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=100_000)
    n = parser.parse_args().number
    print(f"Python {sys.version.split()[0]}: re._MAXCACHE = {re._MAXCACHE}, "
          f"re._MAXCACHE2 = {getattr(re, '_MAXCACHE2', 'absent')}")
    rows = [("precompiled", precompiled, n), ("re.match(CONST)", module_function, n),
            ("re.compile(CONST)", compile_constant, n), ("rebuilt pattern", rebuilt_pattern, n),
            ("cache miss", cache_miss, max(n // 100, 500))]
    baseline = None
    for label, function, number in rows:
        ns = per_call_ns(function, number)
        baseline = baseline or ns
        print(f"  {label:18} {ns:8.0f} ns/call  {ns / baseline:5.1f}x precompiled")


if __name__ == "__main__":
    main()
