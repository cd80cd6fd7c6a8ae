#!/usr/bin/env python3
"""Tests of bench/blind_sample.py and bench/blind_score.py (run by ctest).

usage: blind_read_test.py PERFSCAN_BINARY
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "bench" / "blind_sample.py"
SCORE = ROOT / "bench" / "blind_score.py"
PERFSCAN = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "build" / "release" / "perfscan")

LONG_FUNCTION = "def long_one(xs):\n" + "".join(f"    x{i} = {i}\n" for i in range(120)) + \
    "    s = ''\n    for x in xs:\n        s += x\n    return s\n"


def finding(rule, path, line, column=5, end_column=11):
    return {"rule": rule, "name": "n", "category": "c", "severity": "medium", "path": str(path),
            "line": line, "column": column, "end_line": line, "end_column": end_column,
            "message": "SECRET MESSAGE", "suggestion": "s", "fingerprint": f"{rule}{line}"}


class BlindReadTest(unittest.TestCase):
    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="perfscan-blind-"))
        lib = self.dir / "lib.py"
        lib.write_text("".join(f"def f{i}(xs):\n    s = ''\n    for x in xs:\n        s += x\n"
                               for i in range(40)))
        app = self.dir / "app.py"
        app.write_text(LONG_FUNCTION)
        library = [finding("PS401", lib, 4 + 4 * i, 9, 15) for i in range(40)]
        application = [finding("PS401", app, 124, 9, 15)] + \
            [finding("PS401", app, 2 + i) for i in range(4)] + \
            [finding("PS101", app, 10 + i) for i in range(3)]
        self.library = self.dir / "lib.json"
        self.application = self.dir / "app.json"
        for path, found in ((self.library, library), (self.application, application)):
            path.write_text(json.dumps({"tool": {"version": "9.9"}, "findings": found}))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def sample(self, out, *more):
        return subprocess.run([sys.executable, str(SAMPLE), "--library", f"lib={self.library}",
                               "--application", f"app={self.application}", "--perfscan",
                               PERFSCAN, "-o", str(out), "--per-rule", "10", "--seed", "3",
                               "--rules", "PS401,PS101", *more],
                              check=True, capture_output=True, text=True)

    def score(self, out, *more):
        return subprocess.run([sys.executable, str(SCORE), str(out), "--date", "2026-12-01", *more],
                              capture_output=True, text=True)

    def test_sample_is_balanced_reproducible_and_blind(self):
        first, second = self.dir / "one", self.dir / "two"
        self.sample(first)
        self.sample(second)
        for rule in ("PS101", "PS401"):
            self.assertEqual((first / "packets" / f"{rule}.md").read_text(),
                             (second / "packets" / f"{rule}.md").read_text())
        key = json.loads((first / "key.json").read_text())
        kinds = [entry["kind"] for entry in key["rules"]["PS401"]["sample"]]
        self.assertEqual(sorted(kinds), ["application"] * 5 + ["library"] * 5)
        self.assertEqual(key["rules"]["PS401"]["population"], {"library": 40, "application": 5})
        self.assertEqual(len(key["rules"]["PS101"]["sample"]), 3)  # all of them
        packet = (first / "packets" / "PS401.md").read_text()
        self.assertNotIn("SECRET MESSAGE", packet)
        self.assertNotIn("severity", packet.lower().split("**claim:**")[1].split("---")[1])
        self.assertIn("**Claim:** String built by repeated concatenation inside a loop", packet)
        self.assertEqual(len(re.findall(r"^### PS401-\d\d$", packet, re.M)), 10)
        self.assertEqual(len(re.findall(r"^verdict: $", packet, re.M)), 10)
        # A short function is shown whole, the flagged line marked with a caret under the span.
        self.assertRegex(packet, r">\s+\d+ \|         s \+= x\n\s+\|         \^\^\^\^\^\^\n")
        # Another seed draws another sample.
        third = self.dir / "three"
        self.sample(third, "--seed", "4")
        self.assertNotEqual((first / "packets" / "PS401.md").read_text(),
                            (third / "packets" / "PS401.md").read_text())

    def test_new_since_draws_only_what_the_earlier_run_lacked(self):
        earlier = self.dir / "earlier"
        earlier.mkdir()
        lib_py, app_py = self.dir / "lib.py", self.dir / "app.py"
        # The earlier run had the first 30 library findings and two application ones.
        (earlier / "lib.json").write_text(json.dumps({"findings": [
            finding("PS401", lib_py, 4 + 4 * i, 9, 15) for i in range(30)]}))
        (earlier / "app.json").write_text(json.dumps({"findings": [
            finding("PS401", app_py, 124, 9, 15), finding("PS101", app_py, 10)]}))
        out = self.dir / "new"
        self.sample(out, "--new-since", str(earlier), "--per-rule", "60")
        key = json.loads((out / "key.json").read_text())
        self.assertEqual(key["rules"]["PS401"]["population"], {"library": 10, "application": 4})
        self.assertEqual(key["rules"]["PS101"]["population"], {"library": 0, "application": 2})
        drawn = {(entry["path"], entry["line"]) for entry in key["rules"]["PS401"]["sample"]}
        self.assertNotIn((str(app_py), 124), drawn)
        self.assertIn((str(lib_py), 4 + 4 * 30), drawn)

    def test_long_function_shows_its_header_and_a_window(self):
        out = self.dir / "long"
        self.sample(out, "--per-rule", "60")
        packet = (out / "packets" / "PS401.md").read_text()
        block = packet[packet.index("app.py:124`"):]
        block = block[:block.index("verdict:")]
        self.assertIn("  1 | def long_one(xs):", block)
        self.assertIn("⋮", block)
        self.assertIn("> 124 |         s += x", block)
        self.assertNotIn(" 50 |", block)

    def fill(self, out, rule, verdicts):
        path = out / "packets" / f"{rule}.md"
        lines = path.read_text().split("\n")
        answers = iter(verdicts)
        for index, line in enumerate(lines):
            if line == "verdict: ":
                lines[index] = "verdict: " + next(answers, "")
            elif line == "why: ":
                lines[index] = "why: it reads the rows\nof a file"
        path.write_text("\n".join(lines))

    def test_score_counts_verdicts_and_updates_the_table(self):
        out = self.dir / "scored"
        self.sample(out)
        self.fill(out, "PS401", ["right"] * 8 + ["Wrong", "unclear"])
        self.fill(out, "PS101", ["right", "**right**", "right."])
        table = self.dir / "traits.def"
        # A table of its own: the real one changes with every blind read.
        table.write_text("// header\n"
                         "PERFSCAN_TRAITS(PS101, extended, not_measured, applies, per_iteration)\n"
                         "PERFSCAN_TRAITS(PS102, standard, not_measured, applies, per_iteration)\n"
                         "PERFSCAN_TRAITS(PS401, standard, not_measured, exempt,  per_iteration)\n")
        result = self.score(out, "--update", str(table))
        self.assertEqual(result.returncode, 0, result.stderr)
        scores = json.loads((out / "scores.json").read_text())["scores"]
        self.assertEqual((scores["PS401"]["right"], scores["PS401"]["wrong"],
                          scores["PS401"]["unclear"]), (8, 1, 1))
        self.assertAlmostEqual(scores["PS401"]["precision"], 800 / 9)
        # 88.9% is under 90%; PS101 is 100% over all 3 of its findings.
        self.assertEqual(scores["PS401"]["tier"], "extended")
        self.assertEqual(scores["PS101"]["tier"], "standard")
        text = table.read_text()
        self.assertIn('PERFSCAN_TRAITS(PS101, standard, measured(3, 0, 0, "blind read 2026-12-01: '
                      '0 library + 3 application findings of 3, perfscan 9.9, seed 3"), applies, '
                      'per_iteration)', text)
        self.assertIn("PERFSCAN_TRAITS(PS401, extended, measured(8, 1, 1, ", text)
        self.assertIn("PERFSCAN_TRAITS(PS102, standard, not_measured, applies, per_iteration)", text)
        self.assertEqual(json.loads((out / "scores.json").read_text())["why"]["PS101-01"],
                         "it reads the rows of a file")

    def test_incomplete_and_bad_verdicts(self):
        out = self.dir / "partial"
        self.sample(out)
        self.fill(out, "PS401", ["right"] * 3)
        result = self.score(out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"PS401 +45 +10 +3 +0 +0 +7 .* incomplete")
        self.fill(out, "PS101", ["maybe"])
        result = self.score(out)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("PS101-01: verdict 'maybe' is not one of right, wrong, unclear", result.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
