#!/usr/bin/env python3
"""Reads back the verdicts of a blind read and computes each rule's precision.

Input: the folder bench/blind_sample.py wrote, with the reader's verdicts filled into
packets/PSxxx.md (`verdict: right|wrong|unclear`, `why: ...`). For each rule: right, wrong,
unclear and not yet judged; precision = right / (right + wrong), with unclear reported
apart; the same split by libraries and applications; and the tier the measurement supports
(default: at least 90% over a complete sample of at least 30 findings, or all of them when
the trees hold fewer).

Output: a table on stdout, scores.json in the folder, and the rows of rules/traits.def that
the measurement gives (`measured(right, wrong, unclear, "where")` and the tier). With
--update rules/traits.def those columns are rewritten in place for every rule whose packet is
fully judged; the other columns (test code, cost) are left alone. Python 3 standard library
only. See bench/README.md, "Blind reads".
"""
import argparse
import datetime
import json
import os
import re
import sys

VERDICTS = ("right", "wrong", "unclear")
MIN_PRECISION = 90.0
MIN_SAMPLE = 30

HEADER = re.compile(r"^### (PS\d{3}-\d+)\s*$")
VERDICT = re.compile(r"^verdict:(.*)$")
WHY = re.compile(r"^why:(.*)$")
ROW = re.compile(r'^(PERFSCAN_TRAITS\((PS\d{3}), )(\w+)(, )(not_measured|measured\(\d+, \d+, \d+, "[^"]*"\))(, .*)$')


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the folder blind_sample.py wrote")
    parser.add_argument("--update", metavar="TRAITS_DEF",
                        help="rewrite the tier and precision of the measured rules in this "
                             "file (rules/traits.def)")
    parser.add_argument("--date", default=datetime.date.today().isoformat(),
                        help="date of the read, for the `where` text (default today)")
    return parser.parse_args(argv)


def read_verdicts(path):
    """id -> (verdict or "", why) from one packet; raises ValueError naming a bad verdict."""
    verdicts = {}
    current = None
    why_lines = None
    with open(path, encoding="utf-8") as stream:
        for raw in stream:
            line = raw.rstrip("\n")
            if (match := HEADER.match(line)):
                current = match.group(1)
                verdicts[current] = ["", ""]
                why_lines = None
                continue
            if current is None:
                continue
            if (match := VERDICT.match(line)):
                verdicts[current][0] = normalise(match.group(1), current, path)
                why_lines = None
            elif (match := WHY.match(line)):
                why_lines = [match.group(1).strip()]
                verdicts[current][1] = why_lines[0]
            elif why_lines is not None and line.strip() and not line.startswith("---"):
                why_lines.append(line.strip())
                verdicts[current][1] = " ".join(why_lines)
            elif line.startswith("---"):
                why_lines = None
    return {key: tuple(value) for key, value in verdicts.items()}


def normalise(text, finding_id, path):
    word = text.strip().strip("*_`.:").lower().split(" ")[0] if text.strip() else ""
    if word == "":
        return ""
    if word not in VERDICTS:
        raise ValueError(f"{path}: {finding_id}: verdict {text.strip()!r} is not one of "
                         + ", ".join(VERDICTS))
    return word


def percent(right, wrong):
    return None if right + wrong == 0 else 100.0 * right / (right + wrong)


def counts(entries, verdicts):
    tally = {"right": 0, "wrong": 0, "unclear": 0, "unjudged": 0}
    for entry in entries:
        verdict = verdicts.get(entry["id"], ("", ""))[0]
        tally[verdict or "unjudged"] += 1
    tally["precision"] = percent(tally["right"], tally["wrong"])
    return tally


def score_rule(rule, entry, verdicts):
    sample = entry["sample"]
    population = sum(entry["population"].values())
    total = counts(sample, verdicts)
    by_kind = {kind: counts([e for e in sample if e["kind"] == kind], verdicts)
               for kind in ("library", "application")}
    complete = total["unjudged"] == 0 and bool(sample)
    enough = len(sample) >= min(MIN_SAMPLE, population)
    if not sample:
        tier = None
    elif not complete:
        tier = "incomplete"
    elif total["precision"] is not None and total["precision"] >= MIN_PRECISION and enough:
        tier = "standard"
    else:
        tier = "extended"
    return {"rule": rule, "population": population, "sample": len(sample), **total,
            "libraries": by_kind["library"], "applications": by_kind["application"],
            "complete": complete, "tier": tier}


def where_text(score, key, date):
    versions = ", ".join(key.get("perfscan_versions", [])) or "?"
    libraries = score["libraries"]
    applications = score["applications"]
    judged_libraries = libraries["right"] + libraries["wrong"] + libraries["unclear"]
    judged_applications = applications["right"] + applications["wrong"] + applications["unclear"]
    return (f"blind read {date}: {judged_libraries} library + {judged_applications} application "
            f"findings of {score['population']}, perfscan {versions}, seed {key.get('seed')}")


def measured_column(score, key, date):
    return (f'measured({score["right"]}, {score["wrong"]}, {score["unclear"]}, '
            f'"{where_text(score, key, date)}")')


def update_table(path, scores, key, date):
    """Rewrites tier and precision of the fully judged rules; returns the ids updated."""
    with open(path, encoding="utf-8") as stream:
        lines = stream.read().split("\n")
    updated = []
    for index, line in enumerate(lines):
        match = ROW.match(line)
        if not match:
            continue
        score = scores.get(match.group(2))
        if score is None or not score["complete"]:
            continue
        lines[index] = (match.group(1) + score["tier"] + match.group(4) +
                        measured_column(score, key, date) + match.group(6))
        updated.append(match.group(2))
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("\n".join(lines))
    return updated


def shown(value):
    return "-" if value is None else f"{value:.1f}%"


def print_table(scores):
    print(f"{'rule':6} {'found':>5} {'read':>4} {'right':>5} {'wrong':>5} {'uncl':>4} "
          f"{'todo':>4} {'precision':>9} {'libraries':>9} {'apps':>9}  tier")
    for score in scores.values():
        print(f"{score['rule']:6} {score['population']:5} {score['sample']:4} {score['right']:5} "
              f"{score['wrong']:5} {score['unclear']:4} {score['unjudged']:4} "
              f"{shown(score['precision']):>9} {shown(score['libraries']['precision']):>9} "
              f"{shown(score['applications']['precision']):>9}  "
              f"{score['tier'] or 'no findings on the trees'}")


def main(argv):
    args = parse_args(argv)
    with open(os.path.join(args.folder, "key.json"), encoding="utf-8") as stream:
        key = json.load(stream)
    verdicts = {}
    packets = os.path.join(args.folder, "packets")
    try:
        for name in sorted(os.listdir(packets)):
            if name.endswith(".md"):
                verdicts.update(read_verdicts(os.path.join(packets, name)))
    except ValueError as error:
        sys.exit(f"blind_score: {error}")
    scores = {rule: score_rule(rule, entry, verdicts) for rule, entry in sorted(key["rules"].items())}
    print_table(scores)
    print("\nrules/traits.def columns (tier, precision) for the fully judged rules:")
    for score in scores.values():
        if score["complete"]:
            print(f"  {score['rule']}: {score['tier']}, {measured_column(score, key, args.date)}")
    why = {finding_id: reason for finding_id, (_, reason) in verdicts.items()}
    with open(os.path.join(args.folder, "scores.json"), "w", encoding="utf-8") as stream:
        json.dump({"date": args.date, "scores": scores, "why": why}, stream, indent=1, sort_keys=True)
        stream.write("\n")
    if args.update:
        updated = update_table(args.update, scores, key, args.date)
        print(f"\nupdated {len(updated)} row(s) of {args.update}: {', '.join(updated) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
