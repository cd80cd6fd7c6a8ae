#!/usr/bin/env python3
"""A list or dict filled by a loop, against the comprehension forms: PS804's and PS806's cost
model.

Per item, for collections of growing size:

  list: loop of out.append(x * 2)  |  out = [x * 2 for x in xs]  |  out.extend([x * 2 for ...])
        |  out.extend(x * 2 for ...)   (the last two for a list that already holds items)
  dict: loop of out[x] = x * 2     |  out = {x: x * 2 for x in xs} |  out.update({x: ...})

What the measurements say (CPython 3.11): the comprehension saves a method lookup and call (a
store) per item, 20-40 % of a cheap loop body; `extend` of a list comprehension keeps most of
that; `extend` of a generator expression saves little or nothing, since resuming the generator
per item costs about what the append call did. Over a few items all of it is noise.

Usage: python3 bench/cost/manual_comprehension.py [--sizes 10,1000,100000]
"""
import argparse
import sys
import time
import timeit

LIST_LOOP = """
out = [0]
for x in xs:
    out.append(x * 2)
"""
LIST_COMPREHENSION = "out = [x * 2 for x in xs]"
LIST_EXTEND_LIST = "out = [0]; out.extend([x * 2 for x in xs])"
LIST_EXTEND_GENERATOR = "out = [0]; out.extend(x * 2 for x in xs)"
DICT_LOOP = """
out = {-1: 0}
for x in xs:
    out[x] = x * 2
"""
DICT_COMPREHENSION = "out = {x: x * 2 for x in xs}"
DICT_UPDATE = "out = {-1: 0}; out.update({x: x * 2 for x in xs})"

CASES = [
    ("list: append loop", LIST_LOOP), ("list: comprehension", LIST_COMPREHENSION),
    ("list: extend([...])", LIST_EXTEND_LIST), ("list: extend(gen)", LIST_EXTEND_GENERATOR),
    ("dict: store loop", DICT_LOOP), ("dict: comprehension", DICT_COMPREHENSION),
    ("dict: update({...})", DICT_UPDATE),
]


def per_item_ns(statement, xs):
    # Inside a function, as real code runs: locals, not globals.
    namespace = {}
    body = "\n".join("    " + line for line in statement.strip().splitlines())
    exec(f"def run(xs):\n{body}\n", namespace)
    run = namespace["run"]
    number = max(5, 1_000_000 // len(xs))
    best = min(timeit.repeat(lambda: run(xs), number=number, repeat=7, timer=time.process_time))
    return best / number / len(xs) * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,100000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    print(f"Python {sys.version.split()[0]}; ns per item")
    for label, statement in CASES:
        cells = [f"n={size}: {per_item_ns(statement, list(range(size))):6.1f}" for size in sizes]
        print(f"  {label:22} " + "   ".join(cells))


if __name__ == "__main__":
    main()
