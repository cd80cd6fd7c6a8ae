#!/usr/bin/env python3
"""Which forms of string accumulation in a loop are quadratic on this interpreter?

The cost model of PS401-PS403 (rules/string_concat/) rests on these measurements. CPython
grows a `str` in place when the add is immediately stored back into the same local variable
and nothing else references the string (its reference count is 1); every other form copies
everything built so far on every step, O(n^2) in the total length.

For every form the script times building a string of N pieces (N = 1e3 ... 1e6), and prints
the time per run and the growth exponent k of time ~ N^k, fitted over the runs long enough to
measure: k ~ 1 is linear, k ~ 2 quadratic. A form stops
growing N once the next run is predicted to take longer than --budget seconds (quadratic forms
stop near N = 3e4 to 1e5), so the whole run stays within a few minutes. Times are CPU time of
the process (the benchmark machine is shared), the best of --repeats runs.

    python3 bench/string_accumulation.py              # the table, markdown
    python3 bench/string_accumulation.py --piece 80   # longer pieces
    python3 bench/string_accumulation.py --only bytes

The results are in bench/README.md and in the docs of PS401, PS402 and PS403.
"""

import argparse
import io
import math
import platform
import sys
import time

# ---- the forms ---------------------------------------------------------------------------
# Each builds a text of n pieces and returns it (so nothing is optimised away). `piece` is a
# str (or bytes for the bytes forms) of --piece characters.

GLOBAL_TEXT = ""


def local_iadd(n, piece):
    text = ""
    for _ in range(n):
        text += piece
    return text


def local_rebind(n, piece):
    text = ""
    for _ in range(n):
        text = text + piece
    return text


def local_iadd_two_pieces(n, piece):
    # `s += a + b`: the right-hand side is built first, then appended in place.
    text = ""
    for _ in range(n):
        text += piece + "\n"
    return text


def local_rebind_two_pieces(n, piece):
    # `s = s + a + b` is `(s + a) + b`: the first `+` is not stored back into `s`, so it copies.
    text = ""
    for _ in range(n):
        text = text + piece + "\n"
    return text


def local_prepend(n, piece):
    text = ""
    for _ in range(n):
        text = piece + text
    return text


class Holder:
    def __init__(self):
        self.text = ""


def attribute_iadd(n, piece):
    holder = Holder()
    for _ in range(n):
        holder.text += piece
    return holder.text


def global_iadd(n, piece):
    global GLOBAL_TEXT
    GLOBAL_TEXT = ""
    for _ in range(n):
        GLOBAL_TEXT += piece
    return GLOBAL_TEXT


MODULE_LEVEL = compile(
    "text = ''\nfor _ in range(n):\n    text += piece\n", "<module-level loop>", "exec"
)


def module_level_iadd(n, piece):
    # A loop at a module's top level stores into the module's namespace (STORE_NAME).
    namespace = {"n": n, "piece": piece}
    exec(MODULE_LEVEL, namespace)
    return namespace["text"]


def closure_iadd(n, piece):
    text = ""

    def grow():
        nonlocal text
        for _ in range(n):
            text += piece

    grow()
    return text


def captured_local_iadd(n, piece):
    # The loop runs in the function that owns `text`, but a nested function reads `text`, so
    # it lives in a cell (STORE_DEREF), not in a fast local.
    text = ""
    for _ in range(n):
        text += piece
    return (lambda: text)()


def dict_item_iadd(n, piece):
    out = {"text": ""}
    for _ in range(n):
        out["text"] += piece
    return out["text"]


def list_item_iadd(n, piece):
    out = [""]
    for _ in range(n):
        out[0] += piece
    return out[0]


def aliased_iadd(n, piece):
    # Another name still holds the string when it is extended: refcount 2, so it is copied.
    text = ""
    previous = text
    for _ in range(n):
        previous = text
        text += piece
    return text, previous


def kept_in_list_iadd(n, piece):
    # Every intermediate string is kept (the history of a log, say): copied on every step, and
    # O(n^2) memory as well, so this form stops early.
    text = ""
    history = []
    for _ in range(n):
        text += piece
        history.append(text)
    return text, len(history)


def passed_to_call_iadd(n, piece):
    # A call that does not keep the string drops its reference before the next `+=`: linear.
    text = ""
    total = 0
    for _ in range(n):
        text += piece
        total += len(text)
    return text, total


def bytes_iadd(n, piece):
    data = b""
    for _ in range(n):
        data += piece
    return data


def bytearray_iadd(n, piece):
    data = bytearray()
    for _ in range(n):
        data += piece
    return bytes(data)


def join_list(n, piece):
    parts = []
    for _ in range(n):
        parts.append(piece)
    return "".join(parts)


def string_io(n, piece):
    out = io.StringIO()
    for _ in range(n):
        out.write(piece)
    return out.getvalue()


def multi_piece_plus(n, piece):
    # PS403: one expression of five pieces per iteration, not an accumulation.
    total = 0
    for _ in range(n):
        line = piece + "," + piece + "," + piece
        total += len(line)
    return total


def multi_piece_fstring(n, piece):
    total = 0
    for _ in range(n):
        line = f"{piece},{piece},{piece}"
        total += len(line)
    return total


# (name in the table, function, piece type, what perfscan does with it)
FORMS = [
    ("local `s += p`", local_iadd, str, "PS401 low (in place on CPython)"),
    ("local `s = s + p`", local_rebind, str, "PS401 low (in place on CPython)"),
    ("local `s += p + q`", local_iadd_two_pieces, str, "PS401 low (in place on CPython)"),
    ("local `s = s + p + q`", local_rebind_two_pieces, str, "PS401 medium"),
    ("local prepend `s = p + s`", local_prepend, str, "PS401 medium"),
    ("attribute `self.s += p`", attribute_iadd, str, "PS401 medium"),
    ("global `S += p` (in a function)", global_iadd, str, "PS401 medium"),
    ("module top level `s += p`", module_level_iadd, str, "PS401 medium"),
    ("closure `nonlocal s; s += p`", closure_iadd, str, "PS401 medium"),
    ("local read by a nested function", captured_local_iadd, str, "PS401 medium"),
    ("dict item `d[k] += p`", dict_item_iadd, str, "PS401 medium"),
    ("list item `xs[0] += p`", list_item_iadd, str, "PS401 medium"),
    ("aliased local (`prev = s; s += p`)", aliased_iadd, str, "PS401 medium"),
    ("kept in a list (`h.append(s)`)", kept_in_list_iadd, str, "PS401 medium"),
    ("passed to `len(s)` each step", passed_to_call_iadd, str, "PS401 low (in place)"),
    ("bytes `b += p`", bytes_iadd, bytes, "PS402 medium"),
    ("bytearray `b += p` (the fix)", bytearray_iadd, bytes, "not flagged"),
    ("list + `''.join` (the fix)", join_list, str, "not flagged"),
    ("io.StringIO (the fix)", string_io, str, "not flagged"),
    ("5 pieces with `+` per iteration", multi_piece_plus, str, "PS403 low"),
    ("the same as one f-string", multi_piece_fstring, str, "not flagged"),
]

SIZES = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]


def best_time(function, n, piece, repeats):
    best = math.inf
    for _ in range(repeats):
        # CPU time of this process: the machine is shared, and waiting for a core is not cost.
        start = time.process_time()
        function(n, piece)
        best = min(best, time.process_time() - start)
    return best


def exponent(n1, t1, n2, t2):
    return math.log(t2 / t1) / math.log(n2 / n1)


# Below this a run is mostly fixed overhead and timer noise: the slope is fitted above it.
NOISE_FLOOR = 0.002


def growth_exponent(times):
    """Least-squares slope of log(time) over log(N), over the runs above the noise floor
    (the two largest runs when fewer than two are above it)."""
    points = [(n, t) for n, t in sorted(times.items()) if t >= NOISE_FLOOR]
    if len(points) < 2:
        points = sorted(times.items())[-2:]
    if len(points) < 2 or any(t <= 0 for _, t in points):
        return float("nan")
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    den = sum((x - mean_x) ** 2 for x in xs)
    return num / den


def measure(function, piece, budget, repeats):
    """Times at each size until the next one would exceed the budget: {n: seconds}."""
    times = {}
    previous = None
    for n in SIZES:
        if previous is not None:
            (n0, t0) = previous
            k = max(1.0, exponent(*times_pair(times))) if len(times) >= 2 else 2.0
            if t0 * (n / n0) ** k > budget:
                break
        # Fewer repetitions once a run takes long: the machine is shared.
        reps = repeats if not times or max(times.values()) < 0.5 else 1
        times[n] = best_time(function, n, piece, reps)
        previous = (n, times[n])
    return times


def times_pair(times):
    sizes = sorted(times)
    return sizes[-2], times[sizes[-2]], sizes[-1], times[sizes[-1]]


def fmt_seconds(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--piece", type=int, default=8, help="characters per piece (default 8)")
    parser.add_argument("--budget", type=float, default=5.0,
                        help="largest predicted seconds for one run (default 5)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size, best kept")
    parser.add_argument("--only", default="", help="measure the forms whose name contains this")
    args = parser.parse_args()

    print(f"{platform.python_implementation()} {platform.python_version()} on "
          f"{platform.machine()}, pieces of {args.piece} characters, best of {args.repeats}")
    print()
    header = ["form", *(f"N={n:.0e}".replace("+0", "") for n in SIZES), "exponent", "perfscan"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, function, kind, verdict in FORMS:
        if args.only and args.only not in name:
            continue
        piece = ("x" * args.piece).encode() if kind is bytes else "x" * args.piece
        times = measure(function, piece, args.budget, args.repeats)
        cells = [fmt_seconds(times[n]) if n in times else "—" for n in SIZES]
        k = growth_exponent(times)
        print(f"| {name} | " + " | ".join(cells) + f" | {k:.2f} | {verdict} |", flush=True)
    print()
    print(f"Times are CPU seconds of one run. exponent: k in time ~ N^k, fitted over the runs "
          f"of {NOISE_FLOOR * 1e3:.0f} ms or more (1 linear, 2 quadratic); — : not run, "
          f"predicted over the budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
