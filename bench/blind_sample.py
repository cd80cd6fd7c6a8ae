#!/usr/bin/env python3
"""Draws the blind-read sample of perfscan's findings, one packet per rule.

Input: perfscan's JSON reports (`--format json`) on library trees and application trees, as
bench/trees.sh scan writes them (one <tree>.json per tree). For each rule, a seeded random
sample of up to --per-rule findings, half from libraries and half from applications (the other
kind fills in when one has too few), becomes a packet a reader judges blind: for each finding
an id, its path:line, the rule's one-line claim, the code around it with the flagged line
marked, and empty `verdict:` / `why:` fields. The reader sees no message, no suggestion, no
severity and no documentation: only code and the claim.

Output folder:
  packets/PSxxx.md  one per rule, for the reader (fill in the verdicts there)
  README.md         the reader's instructions (also at the top of every packet)
  key.json          what each id was (tree, kind, severity, message, fingerprint), the
                    population per rule and the settings: NOT for the reader

bench/blind_score.py reads the packets back and computes precision per rule. Python 3
standard library only. See bench/README.md, "Blind reads".
"""
import argparse
import ast
import datetime
import json
import os
import random
import subprocess
import sys

LIBRARIES = ("stdlib", "django", "sqlalchemy", "aiohttp")
APPLICATIONS = ("lava", "graphite", "hyperkitty", "postorius")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

INSTRUCTIONS = """\
You judge, for each finding below, whether the claim at the top is true of the marked line.
You see only the code and the claim: do not read perfscan's rules, documentation or output
before you finish. Open any file of the project if the excerpt is not enough.

After `verdict:` write one of:
- right: the claim holds at the marked code, and a performance review should flag it: the
  cost it names is real for the data this code plausibly handles;
- wrong: the claim does not hold (the code does something else), or it holds but cannot cost
  anything that matters here (a handful of items, a path that runs once);
- unclear: you cannot decide from the code and the project's files.

After `why:` write one sentence saying why. Leave everything else as it is.
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", help="folder of <tree>.json reports (bench/trees.sh scan's OUTDIR): "
                        "reads " + ", ".join(LIBRARIES) + " as libraries and "
                        + ", ".join(APPLICATIONS) + " as applications")
    parser.add_argument("--library", action="append", default=[], metavar="NAME=FILE",
                        help="a library tree's report (repeatable)")
    parser.add_argument("--application", action="append", default=[], metavar="NAME=FILE",
                        help="an application tree's report (repeatable)")
    parser.add_argument("-o", "--out", required=True, help="folder to write the packets to")
    parser.add_argument("--per-rule", type=int, default=30,
                        help="findings per rule (all of them when fewer; default 30)")
    parser.add_argument("--seed", default="14", help="random seed (default 14)")
    parser.add_argument("--new-since", metavar="DIR",
                        help="an earlier run's folder of <tree>.json reports (an older perfscan on "
                        "the same trees): draw only the findings it did not have, by rule, path "
                        "and line (what a change to the analysis added)")
    parser.add_argument("--rules", default="",
                        help="comma-separated ids or id prefixes to sample (default: all)")
    parser.add_argument("--perfscan", default=os.path.join(REPO, "build", "release", "perfscan"),
                        help="the binary whose --list-rules gives each rule's claim")
    parser.add_argument("--context", type=int, default=40,
                        help="lines of code shown around a finding (default 40)")
    parser.add_argument("--short-function", type=int, default=80,
                        help="an enclosing function this long or shorter is shown whole "
                             "(default 80)")
    return parser.parse_args(argv)


def named_reports(args):
    """[(tree name, kind, path of the JSON report)], libraries first."""
    reports = []
    if args.runs:
        for kind, names in (("library", LIBRARIES), ("application", APPLICATIONS)):
            for name in names:
                path = os.path.join(args.runs, name + ".json")
                if os.path.exists(path):
                    reports.append((name, kind, path))
                else:
                    print(f"blind_sample: no {path}: {name} left out", file=sys.stderr)
    for kind, given in (("library", args.library), ("application", args.application)):
        for item in given:
            name, sep, path = item.partition("=")
            if not sep:
                sys.exit(f"blind_sample: --{kind} wants NAME=FILE, not {item!r}")
            reports = [r for r in reports if r[0] != name] + [(name, kind, path)]
    if not reports:
        sys.exit("blind_sample: no reports: give --runs DIR or --library/--application NAME=FILE")
    return reports


def rule_claims(perfscan):
    """Rule id -> (one-line claim, tier) from `perfscan --list-rules --format json`."""
    try:
        listed = subprocess.run([perfscan, "--list-rules", "--format", "json"], check=True,
                                capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"blind_sample: cannot list the rules with {perfscan}: {error}")
    return {rule["id"]: (rule["summary"], rule.get("tier", "")) for rule in json.loads(listed)}


def wanted(rule, selectors):
    return not selectors or any(rule.startswith(s) for s in selectors)


def earlier_findings(folder, reports):
    """{(rule, path, line)} of the same trees' reports in an earlier run's folder."""
    earlier = set()
    for name, _, _ in reports:
        path = os.path.join(folder, name + ".json")
        if not os.path.exists(path):
            sys.exit(f"blind_sample: --new-since has no {path}")
        with open(path, encoding="utf-8") as stream:
            for finding in json.load(stream)["findings"]:
                earlier.add((finding.get("rule") or finding.get("rule_id"), finding["path"],
                             finding["line"]))
    return earlier


def load_findings(reports, selectors, earlier=None):
    """Rule id -> kind -> [finding], each finding with its tree and kind, deduplicated; only those
    not in `earlier` when it is given."""
    pools = {}
    seen = set()
    versions = set()
    for name, kind, path in reports:
        with open(path, encoding="utf-8") as stream:
            report = json.load(stream)
        versions.add(report.get("tool", {}).get("version", "?"))
        for finding in report["findings"]:
            rule = finding["rule"]
            identity = (finding["path"], finding["line"], finding["column"], rule)
            if not wanted(rule, selectors) or identity in seen:
                continue
            if earlier is not None and (rule, finding["path"], finding["line"]) in earlier:
                continue
            seen.add(identity)
            pools.setdefault(rule, {"library": [], "application": []})
            pools[rule][kind].append(dict(finding, tree=name, kind=kind))
    return pools, sorted(versions)


def draw(rule, pool, per_rule, seed):
    """Up to per_rule findings, half from each kind when both have enough, in a random order.

    The generator is seeded by the seed and the rule, so adding a rule or a tree does not
    change another rule's sample.
    """
    rng = random.Random(f"{seed}:{rule}")
    order = lambda f: (f["tree"], f["path"], f["line"], f["column"])
    libraries = sorted(pool["library"], key=order)
    applications = sorted(pool["application"], key=order)
    from_libraries = min(len(libraries), per_rule // 2)
    from_applications = min(len(applications), per_rule - from_libraries)
    from_libraries = min(len(libraries), per_rule - from_applications)
    sample = rng.sample(libraries, from_libraries) + rng.sample(applications, from_applications)
    rng.shuffle(sample)
    return sample


class SourceFile:
    """A scanned file's lines and the spans of its classes and functions."""

    def __init__(self, path):
        try:
            with open(path, encoding="utf-8", errors="replace") as stream:
                text = stream.read()
        except OSError:
            text = ""
        self.lines = text.splitlines()
        self.scopes = self._scopes_from_ast(text)
        if self.scopes is None:
            self.scopes = self._scopes_from_indentation()

    @staticmethod
    def _scopes_from_ast(text):
        """[(start, end, header_end, is_function)], 1-based lines; None if it does not parse."""
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return None
        scopes = []
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                first_body = node.body[0].lineno if node.body else node.lineno
                header_end = max(node.lineno, min(first_body - 1, node.lineno + 4))
                scopes.append((start, node.end_lineno, header_end,
                               not isinstance(node, ast.ClassDef)))
        return scopes

    def _scopes_from_indentation(self):
        """The same, guessed from `def` / `class` lines and indentation (for files the running
        Python cannot parse)."""
        scopes = []
        for index, text in enumerate(self.lines):
            stripped = text.lstrip()
            if not stripped.startswith(("def ", "async def ", "class ")):
                continue
            indent = len(text) - len(stripped)
            end = index + 1
            for later in range(index + 1, len(self.lines)):
                body = self.lines[later]
                if body.strip() and not body.lstrip().startswith("#") and \
                        len(body) - len(body.lstrip()) <= indent:
                    break
                end = later + 1
            scopes.append((index + 1, end, index + 1, not stripped.startswith("class ")))
        return scopes

    def enclosing(self, line):
        """Scopes containing `line`, outermost first."""
        around = [s for s in self.scopes if s[0] <= line <= s[1]]
        return sorted(around, key=lambda s: (s[0], -s[1]))


def shown_ranges(source, finding, context, short_function):
    """The line ranges of the excerpt, in order: headers of the enclosing scopes that the body
    range does not reach, then the body range (the function when short, else a window)."""
    line = finding["line"]
    end_line = max(finding.get("end_line", line), line)
    last = max(len(source.lines), 1)
    half = context // 2
    window = (max(1, line - half), min(last, end_line + half))
    scopes = source.enclosing(line)
    functions = [s for s in scopes if s[3]]
    body = window
    if functions:
        start, end, _, _ = functions[-1]
        if end - start + 1 <= short_function:
            body = (start, end)
        else:
            body = (max(start, window[0]), min(end, window[1]))
    ranges = []
    for start, _, header_end, _ in scopes:
        if start < body[0]:
            end = min(header_end, body[0] - 1)
            while end > start and not source.lines[end - 1].strip():
                end -= 1  # a blank line after `class X:` says nothing
            ranges.append((start, end))
    ranges.append(body)
    return ranges


def excerpt(source, finding, context, short_function):
    """The code block of a packet: numbered lines, the flagged ones marked `>`, a caret line
    under a one-line span, `⋮` where lines are left out."""
    line = finding["line"]
    end_line = max(finding.get("end_line", line), line)
    ranges = shown_ranges(source, finding, context, short_function)
    width = len(str(ranges[-1][1]))
    out = []
    previous_end = 0
    for start, end in ranges:
        if start > previous_end + 1:
            out.append(" " * (width + 2) + "⋮")
        for number in range(max(start, previous_end + 1), end + 1):
            text = source.lines[number - 1].expandtabs(8) if number <= len(source.lines) else ""
            flagged = line <= number <= end_line
            out.append(f"{'>' if flagged else ' '} {number:>{width}} | {text}".rstrip())
            if flagged and line == end_line:
                raw = source.lines[number - 1] if number <= len(source.lines) else ""
                column = max(finding.get("column", 1), 1)
                end_column = max(finding.get("end_column", column + 1), column + 1)
                before = len(raw[:column - 1].expandtabs(8))
                through = len(raw[:end_column - 1].expandtabs(8))
                out.append(" " * (width + 2) + " | " + " " * before + "^" * max(through - before, 1))
        previous_end = max(previous_end, end)
    return "\n".join(out)


def packet(rule, claim, sample, sources, args):
    parts = [f"# Blind read: {rule}\n", f"**Claim:** {claim}\n", INSTRUCTIONS]
    for number, finding in enumerate(sample, 1):
        finding["id"] = f"{rule}-{number:02d}"
        source = sources.setdefault(finding["path"], SourceFile(finding["path"]))
        code = excerpt(source, finding, args.context, args.short_function)
        parts.append(f"---\n\n### {finding['id']}\n\n`{finding['path']}:{finding['line']}`\n\n"
                     f"````python\n{code}\n````\n\nverdict: \nwhy: \n")
    return "\n".join(parts)


def key_entry(finding):
    keep = ("id", "tree", "kind", "rule", "severity", "path", "line", "column", "end_line",
            "end_column", "message", "fingerprint")
    return {field: finding.get(field) for field in keep}


def main(argv):
    args = parse_args(argv)
    selectors = [s.strip() for s in args.rules.split(",") if s.strip()]
    reports = named_reports(args)
    claims = rule_claims(args.perfscan)
    earlier = earlier_findings(args.new_since, reports) if args.new_since else None
    pools, versions = load_findings(reports, selectors, earlier)
    os.makedirs(os.path.join(args.out, "packets"), exist_ok=True)
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as stream:
        stream.write("# Blind read\n\nOne packet per rule in packets/. " + INSTRUCTIONS +
                     "\nDo not open key.json: it says what perfscan reported.\n")
    key = {"drawn": datetime.date.today().isoformat(), "seed": args.seed,
           "per_rule": args.per_rule, "perfscan_versions": versions,
           "new_since": args.new_since,
           "trees": [{"name": n, "kind": k, "report": p} for n, k, p in reports],
           "rules": {}}
    sources = {}
    for rule in sorted(set(claims) | set(pools)):
        if not wanted(rule, selectors):
            continue
        pool = pools.get(rule, {"library": [], "application": []})
        claim, tier = claims.get(rule, ("(no claim: the rule is not in --list-rules)", ""))
        sample = draw(rule, pool, args.per_rule, args.seed)
        entry = {"claim": claim, "tier_when_drawn": tier,
                 "population": {kind: len(found) for kind, found in pool.items()},
                 "sample": []}
        if sample:
            text = packet(rule, claim, sample, sources, args)
            with open(os.path.join(args.out, "packets", rule + ".md"), "w",
                      encoding="utf-8") as stream:
                stream.write(text)
            entry["sample"] = [key_entry(finding) for finding in sample]
        key["rules"][rule] = entry
        libraries = sum(1 for f in sample if f["kind"] == "library")
        print(f"{rule}: {len(sample):3} drawn ({libraries} library, {len(sample) - libraries} "
              f"application) of {len(pool['library'])} + {len(pool['application'])}")
    with open(os.path.join(args.out, "key.json"), "w", encoding="utf-8") as stream:
        json.dump(key, stream, indent=1, sort_keys=True)
        stream.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
