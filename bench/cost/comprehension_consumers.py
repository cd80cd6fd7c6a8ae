#!/usr/bin/env python3
"""List comprehension or generator, per consumer: PS602's cost model.

For each consumer PS602 knows, the time per item of `f([expr for x in xs])` against the form
the rule suggests (a generator expression, or a set / dict comprehension), over collections of
growing size, and the peak memory the list adds at the largest size. What the measurements say:

- `sorted([...])` is not slower than `sorted(gen)`: sorted() builds its own list from any
  iterable, and copying a list into it is a memcpy, cheaper than draining a generator. PS602
  does not report sorted().
- `sum/min/max([...])` cost about the same time either way (a generator adds a frame switch per
  item, the list an allocation); the list's cost is its memory, n references alive at once,
  which matters only for data-sized collections.
- `any/all([...])` evaluate every element; the generator stops at the first deciding one.
- `dict([(k, v) ...])` allocates a tuple per item: the dict comprehension is clearly faster.

Usage: python3 bench/cost/comprehension_consumers.py [--sizes 10,1000,100000]
"""
import argparse
import sys
import time
import timeit
import tracemalloc

CASES = [
    ("sum", "sum([x * 2 for x in xs])", "sum(x * 2 for x in xs)"),
    ("max", "max([x * 2 for x in xs])", "max(x * 2 for x in xs)"),
    ("sorted", "sorted([x * 2 for x in xs])", "sorted(x * 2 for x in xs)"),
    ("set", "set([x * 2 for x in xs])", "{x * 2 for x in xs}"),
    ("dict", "dict([(x, x) for x in xs])", "{x: x for x in xs}"),
    ("any, no early exit", "any([x < 0 for x in xs])", "any(x < 0 for x in xs)"),
    ("any, first item decides", "any([x >= 0 for x in xs])", "any(x >= 0 for x in xs)"),
]


def per_item_ns(statement, xs):
    number = max(5, 1_000_000 // len(xs))
    best = min(timeit.repeat(statement, number=number, repeat=5, timer=time.process_time, globals={"xs": xs}))
    return best / number / len(xs) * 1e9


def peak_kib(statement, xs):
    tracemalloc.start()
    exec(statement, {"xs": xs})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,100000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    print(f"Python {sys.version.split()[0]}; ns per item, list form / suggested form")
    for label, listed, suggested in CASES:
        cells = []
        for size in sizes:
            xs = list(range(size))
            cells.append(f"n={size}: {per_item_ns(listed, xs):6.1f} / {per_item_ns(suggested, xs):6.1f}")
        xs = list(range(sizes[-1]))
        memory = f"peak {peak_kib(listed, xs):8.0f} / {peak_kib(suggested, xs):8.0f} KiB"
        print(f"  {label:24} " + "   ".join(cells) + f"   {memory}")


if __name__ == "__main__":
    main()
