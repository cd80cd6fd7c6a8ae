#!/usr/bin/env python3
"""Every rule doc says whether the rule has a fix and how safe it is, and the behaviour cases
here match what it says (run by ctest).

usage: check_docs.py

- each rules/<category>/PSxxx.md has a `## Fix` section;
- a section that starts with "None" (no fix, or "None yet") has no case in this folder;
- any other section names the safety of its fixes in bold, **safe** and/or **unsafe**, and
  this folder holds PSxxx_safe.py and/or PSxxx_unsafe.py for exactly those, each with its
  .expected file.
"""
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def fix_section(doc):
    match = re.search(r"^## Fix\n(.*?)(?=^## |\Z)", doc, re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else None


def problems_of(doc_path):
    rule = doc_path.stem
    section = fix_section(doc_path.read_text(encoding="utf-8"))
    if section is None:
        return [f"{doc_path}: no '## Fix' section"]
    cases = {path.stem.split("_", 1)[1] for path in HERE.glob(f"{rule}_*.py")}
    if section.startswith("None"):
        said = set()
    else:
        said = {word for word in ("safe", "unsafe") if f"**{word}**" in section.lower()}
        if not said:
            return [f"{doc_path}: the Fix section names no safety (**safe** / **unsafe**)"]
    problems = []
    for safety in sorted(said - cases):
        problems.append(f"{doc_path}: says **{safety}**, but {rule}_{safety}.py is missing")
    for safety in sorted(cases - said):
        problems.append(f"{rule}_{safety}.py: the doc names no {safety} fix")
    for safety in sorted(cases):
        if not (HERE / f"{rule}_{safety}.py.expected").is_file():
            problems.append(f"{rule}_{safety}.py: no {rule}_{safety}.py.expected")
    return problems


def main():
    docs = sorted(ROOT.glob("rules/*/PS*.md"))
    problems = [problem for doc in docs for problem in problems_of(doc)]
    for problem in problems:
        print("FAIL", problem)
    fixing = sorted({path.stem.split("_")[0] for path in HERE.glob("PS*_*.py")})
    print(f"{len(docs)} rule docs checked; rules with fixes: {', '.join(fixing)}")
    return 1 if problems else 0


sys.exit(main())
