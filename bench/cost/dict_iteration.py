#!/usr/bin/env python3
"""Iterating a dict's items against its keys or values: PS802's cost model.

Per item, CPU time, for a loop that uses only the key (or only the value):

  for k, v in d.items(): use(k)     for k in d: use(k)     for k in d.keys(): use(k)
  for k, v in d.items(): use(v)     for v in d.values(): use(v)
  for _k, _v in d.items(): n += 1   for _ in d: n += 1      len(d)

CPython's items iterator reuses its result tuple when the loop unpacks it at once, so
`.items()` costs no allocation per item: the difference is the unpacking and one more store.

Usage: python3 bench/cost/dict_iteration.py [--sizes 10,1000,100000]
"""
import argparse
import sys
import time
import timeit

CASES = [
    ("items(), key used", "for k, v in d.items():\n    out = k"),
    ("iterate the dict", "for k in d:\n    out = k"),
    ("keys()", "for k in d.keys():\n    out = k"),
    ("items(), value used", "for k, v in d.items():\n    out = v"),
    ("values()", "for v in d.values():\n    out = v"),
    ("items(), neither used", "n = 0\nfor _k, _v in d.items():\n    n += 1"),
    ("iterate, count", "n = 0\nfor _ in d:\n    n += 1"),
]


def per_item_ns(statement, d):
    namespace = {}
    body = "\n".join("    " + line for line in statement.splitlines())
    exec(f"def run(d):\n{body}\n", namespace)
    run = namespace["run"]
    number = max(5, 1_000_000 // len(d))
    best = min(timeit.repeat(lambda: run(d), number=number, repeat=7, timer=time.process_time))
    return best / number / len(d) * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,100000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    print(f"Python {sys.version.split()[0]}; ns per item")
    for label, statement in CASES:
        cells = [f"n={size}: {per_item_ns(statement, {i: i for i in range(size)}):6.1f}"
                 for size in sizes]
        print(f"  {label:24} " + "   ".join(cells))


if __name__ == "__main__":
    main()
