#!/usr/bin/env python3
"""Checks that every part includes only the parts below it (README, "Architecture").

The static libraries already refuse a call against the layering at link time; this catches
the include that would bring one in (a type, an inline function) before it does. Run by ctest.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# What each part may include, besides itself.
ALLOWED = {
    "core": set(),
    "syntax": {"core"},
    "discover": {"core"},
    "semantic": {"core", "syntax"},
    "link": {"core"},
    "rules": {"core", "syntax", "semantic", "link"},
    "cache": {"core", "discover"},
    "config": {"core", "syntax", "semantic", "link", "rules"},
    "gate": {"core", "syntax", "discover"},
    "report": {"core", "syntax", "semantic", "link", "rules"},
    "engine": {"core", "syntax", "discover", "semantic", "link", "rules", "cache", "report"},
    "fix": {"core", "syntax", "discover", "semantic", "link", "rules", "cache", "report", "engine"},
    "measure": {"core", "syntax"},
    "cli": {"core", "syntax", "discover", "semantic", "link", "rules", "cache", "config", "gate",
            "report", "engine", "fix", "measure"},
}

# Public headers (include/perfscan/*.hpp) belong to the part that implements them.
PUBLIC_HEADERS = {
    "errors": "core", "facts": "core", "file_result": "core", "finding": "core",
    "linked_facts": "core",
    "options": "core", "report": "core", "measure": "core", "rule_info": "core", "version": "core",
    "node": "syntax",
    "node_data": "syntax",
    "context": "semantic", "semantic": "semantic", "rule": "semantic", "types": "semantic",
    "node_kinds": "semantic",
    "project": "link", "fact_store": "link", "effort": "rules",
    "engine": "engine",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def part_of_file(path: pathlib.Path) -> str | None:
    rel = path.relative_to(ROOT).parts
    if rel[0] == "rules":
        return "rules"
    if rel[0] == "src" and len(rel) > 2:
        return rel[1]
    if rel[0] == "include":
        return PUBLIC_HEADERS.get(path.stem)
    return None


def part_of_include(include: str, including: pathlib.Path) -> str | None:
    first, _, rest = include.partition("/")
    if first == "perfscan":
        return PUBLIC_HEADERS.get(pathlib.Path(rest).stem, "?" + rest)
    if first in ALLOWED:
        return first
    # rules include each other relative to rules/ ("async/async_helpers.hpp"), and generated
    # or same-folder headers: the same part.
    return part_of_file(including)


def main() -> int:
    problems = []
    files = [p for pattern in ("src/**/*.[ch]pp", "rules/**/*.[ch]pp", "include/**/*.hpp")
             for p in ROOT.glob(pattern)]
    for path in sorted(files):
        part = part_of_file(path)
        if part is None:
            continue
        for include in INCLUDE.findall(path.read_text(encoding="utf-8")):
            target = part_of_include(include, path)
            if target is None or target == part:
                continue
            if target.startswith("?"):
                problems.append(f"{path.relative_to(ROOT)}: includes {include}, a public header "
                                "no part owns (add it to PUBLIC_HEADERS)")
            elif target not in ALLOWED[part]:
                problems.append(f"{path.relative_to(ROOT)}: the {part} part includes {include} "
                                f"of the {target} part")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"layering: {len(files)} files, every include points down")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
