#!/usr/bin/env python3
"""Behaviour test of one fix case (run by ctest, one test per case).

usage: run_case.py PERFSCAN CASE.py

CASE.py is a small program that prints what the code under the fix computes. Its name says
which rule it fixes and how safe the fixes in it are: PS801_safe.py, PS602_unsafe.py. Beside it,
CASE.py.expected is the program as the fix must leave it.

The case passes when, in a copy of it:
- python3 prints the same stdout (and exits the same way) before and after the fix;
- a safe case is rewritten by `--fix`; an unsafe case is left alone by `--fix` and rewritten
  by `--fix --unsafe-fixes`, so each fix sits on the side of the line its doc says;
- the rewritten file is byte for byte CASE.py.expected;
- a second run of the same command changes no byte, and no finding of the rule is left with
  a fix that the command would apply (every fixable finding was fixed).
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

# Absolute: perfscan runs in the case's temporary folder.
PERFSCAN = os.path.abspath(sys.argv[1]) if os.sep in sys.argv[1] else sys.argv[1]
CASE = pathlib.Path(sys.argv[2]).resolve()
RULE, SAFETY = CASE.stem.split("_", 1)
FIX_COMMAND = ["--fix"] if SAFETY == "safe" else ["--fix", "--unsafe-fixes"]


def fail(message):
    print(f"FAIL {CASE.name}: {message}")
    sys.exit(1)


def perfscan(folder, *options):
    # Exit 0 (nothing left) and 1 (findings left) are both a run that worked.
    command = [PERFSCAN, "--select", RULE, "--no-cache", *options, "case.py"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def run_program(folder):
    # The same interpreter the fixed code will meet; stdout is compared exactly, the exit code
    # too, so a fix that turns an exception into another one shows.
    done = subprocess.run([sys.executable, "case.py"], cwd=folder, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def fixes_left(folder):
    report = json.loads(perfscan(folder, "--format", "json"))
    applies = {"safe"} if SAFETY == "safe" else {"safe", "unsafe"}
    return [f"{item['line']}:{item['column']}" for item in report["findings"]
            if item.get("fix", {}).get("applicability") in applies]


def check(folder):
    program = folder / "case.py"
    original = program.read_bytes()
    before = run_program(folder)
    if before[0] != 0:
        fail(f"the program itself fails:\n{before[2]}")
    if SAFETY == "unsafe":
        perfscan(folder, "--fix")
        if program.read_bytes() != original:
            fail("--fix without --unsafe-fixes applied an unsafe fix")
    print(perfscan(folder, *FIX_COMMAND), end="")
    fixed = program.read_bytes()
    if fixed == original:
        fail(f"{' '.join(FIX_COMMAND)} changed nothing")
    expected = CASE.with_name(CASE.name + ".expected").read_bytes()
    if fixed != expected:
        fail("the fixed program differs from the expected one:\n" + fixed.decode())
    after = run_program(folder)
    if after != before:
        fail(f"behaviour changed:\nbefore {before}\nafter  {after}")
    perfscan(folder, *FIX_COMMAND)
    if program.read_bytes() != fixed:
        fail("a second fix run changed the file")
    if left := fixes_left(folder):
        fail(f"fixable findings left after the fix: {', '.join(left)}")
    print(f"ok {CASE.name}: fixed, same output ({len(after[1].splitlines())} lines), idempotent")


def main():
    with tempfile.TemporaryDirectory(prefix="perfscan-fix-") as temp:
        folder = pathlib.Path(temp)
        shutil.copyfile(CASE, folder / "case.py")
        os.chmod(folder / "case.py", 0o644)
        check(folder)


main()
