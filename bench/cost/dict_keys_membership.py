#!/usr/bin/env python3
"""What `key in d.keys()` costs next to `key in d`: PS605's cost model.

A keys view answers membership with the dict's own hash lookup, O(1) whatever the size: the
only extra work is the method call that makes the view (a small constant, the same for a dict of
ten keys or of a million). So PS605 does not report it. Per test, for dicts of growing size:

  key in d          the hash lookup
  key in d.keys()   a view object, then the same lookup
  key in list(d)    what a materialisation costs: O(n) copy and O(n) scan

Usage: python3 bench/cost/dict_keys_membership.py [--number N]
"""
import argparse
import sys
import time
import timeit


def per_call_ns(statement, namespace, number):
    return min(timeit.repeat(statement, number=number, repeat=7, timer=time.process_time, globals=namespace)) / number * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=200_000)
    n = parser.parse_args().number
    print(f"Python {sys.version.split()[0]}")
    for size in (10, 1_000, 100_000):
        namespace = {"d": {f"k{i}": i for i in range(size)}, "key": f"k{size // 2}"}
        plain = per_call_ns("key in d", namespace, n)
        view = per_call_ns("key in d.keys()", namespace, n)
        copied = per_call_ns("key in list(d)", namespace, max(n * 10 // size, 20))
        print(f"  {size:>7} keys: key in d {plain:6.0f} ns, key in d.keys() {view:6.0f} ns "
              f"(+{view - plain:.0f} ns), key in list(d) {copied:10.0f} ns")


if __name__ == "__main__":
    main()
