"""Log archive housekeeping for the ETL host: scan partner logs, summarise errors, rotate.

Usage: python -m pipeline.archive LOG_DIR
"""

import functools
import heapq
import json
import os
import re
import sys
from pathlib import Path

ERROR_LINE = re.compile(r"^(\S+) ERROR (\w+): (.*)$")
SEVERITY_ORDER = {"fatal": 0, "error": 1, "warning": 2}


# --- scanning ----------------------------------------------------------------------------


def error_counts(log_paths: list[Path]) -> dict[str, int]:
    """Errors per log file."""
    counts = {}
    for path in log_paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        counts[path.name] = sum(1 for line in lines if " ERROR " in line)
    return counts


def error_counts_streamed(log_paths: list[Path]) -> dict[str, int]:
    counts = {}
    for path in log_paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            counts[path.name] = sum(1 for line in f if " ERROR " in line)
    return counts


def error_codes(log_paths: list[Path], partners: list[str]) -> set[str]:
    """Error codes per partner, from every log that mentions the partner."""
    codes = set()
    for path in log_paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                for partner in partners:
                    match = re.search(r"partner=(\w+) code=(\w+)", line)
                    if match and match.group(1) == partner:
                        codes.add(match.group(2))
    return codes


def first_error(path: Path) -> str | None:
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = ERROR_LINE.match(line)
            if match:
                return match.group(3)
    return None


# --- summaries ---------------------------------------------------------------------------


def noisiest_partners(summary_path: Path) -> list[str]:
    """The five partners with most errors, from the nightly summary (errors per partner)."""
    with open(summary_path, encoding="utf-8") as f:
        errors_by_partner = json.load(f)
    ranked = sorted(errors_by_partner, key=errors_by_partner.get, reverse=True)[:5]
    return ranked


def noisiest_partners_heap(summary_path: Path) -> list[str]:
    with open(summary_path, encoding="utf-8") as f:
        errors_by_partner = json.load(f)
    return heapq.nlargest(5, errors_by_partner, key=errors_by_partner.get)


def oldest_log(log_dir: Path) -> Path:
    return sorted(log_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)[0]


def sample_partner(summary_path: Path) -> str:
    with open(summary_path, encoding="utf-8") as f:
        errors_by_partner = json.load(f)
    return list(errors_by_partner.keys())[0]


def known_severity(level: str) -> bool:
    return level in SEVERITY_ORDER.keys()


def partners_with_errors(feed_path: Path) -> set[str]:
    """Partners with at least one error line in a `partner;status;...` feed."""
    with open(feed_path, encoding="utf-8") as f:
        return set([line.split(";")[0] for line in f if ";ERROR;" in line])


# --- rotation ----------------------------------------------------------------------------


def rotation_candidates(log_dir: str, max_bytes: int, now: float) -> list[tuple[str, float]]:
    candidates = []
    for name in os.listdir(log_dir):
        path = os.path.join(log_dir, name)
        size = os.stat(path).st_size
        age = now - os.stat(path).st_mtime
        if size > max_bytes:
            candidates.append((path, age))
    return candidates


def drop_empty(sizes: dict[str, int]) -> None:
    # The copy is needed here: the loop deletes from the dict it walks.
    for name in list(sizes.keys()):
        if sizes[name] == 0:
            del sizes[name]


class LogIndex:
    """Byte offsets of each partner's sections, per log file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @functools.lru_cache(maxsize=None)
    def offsets(self, name: str) -> list[int]:
        text = (self.root / name).read_text(encoding="utf-8")
        return [match.start() for match in re.finditer(r"^== ", text, re.M)]


def main(argv: list[str]) -> int:
    log_dir = Path(argv[1])
    paths = sorted(log_dir.glob("*.log"))
    print(error_counts_streamed(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
