"""Nightly ETL: load partner sales feeds, normalise them and build regional summaries.

Usage: python -m pipeline.etl FEED_DIR REGIONS_JSON
"""

import itertools
import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path

import requests

from .transforms import CurrencyConverter, normalise_sku, parse_amount

logger = logging.getLogger(__name__)

FEED_ENDPOINT = "https://partners.example.com/feeds"
FIELD_ALIASES = '{"qty": "quantity", "amt": "amount", "sku_id": "sku", "shop": "store"}'
REQUIRED_FIELDS = ("sku", "quantity", "amount", "store")
ORDER_REF = re.compile(r"ORD-(\d{8})")


# --- extract -----------------------------------------------------------------------------


def download_feed(partner: str, day: str) -> bytes:
    response = requests.get(f"{FEED_ENDPOINT}/{partner}/{day}", stream=True, timeout=60)
    response.raise_for_status()
    body = b""
    for chunk in response.iter_content(chunk_size=64 * 1024):
        body += chunk
    return body


def download_all(partners: list[str], day: str, out_dir: Path) -> list[str]:
    """Download every partner's feed, retrying failures up to three times."""
    pending = list(partners)
    for attempt in range(3):
        failed = []
        for partner in pending:
            try:
                (out_dir / f"{partner}.jsonl").write_bytes(download_feed(partner, day))
            except requests.RequestException as exc:
                logger.warning("attempt %d for %s failed: %s", attempt + 1, partner, exc)
                failed.append(partner)
        pending = failed
        if not pending:
            break
    return pending


def read_feed(path: Path) -> list[dict]:
    """Parse a JSON-lines feed, skipping blank lines and comments."""
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f.readlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            records.append(json.loads(line))
    return records


def read_feeds(paths: list[Path]) -> list[dict]:
    records = []
    for path in paths:
        if path.suffix == ".gz":
            import gzip

            with gzip.open(path, "rt", encoding="utf-8") as f:
                records.extend(json.loads(line) for line in f if line.strip())
        else:
            records.extend(read_feed(path))
    return records


# --- transform ---------------------------------------------------------------------------


def normalise_records(records: list[dict]) -> list[dict]:
    """Rename partner-specific fields and drop rows with malformed SKUs."""
    clean = []
    for record in records:
        aliases = json.loads(FIELD_ALIASES)
        row = {aliases.get(key, key): value for key, value in record.items()}
        row["sku"] = normalise_sku(str(row.get("sku", "")))
        if not re.match(r"^[A-Z]{3}-\d{6}$", row["sku"]):
            logger.debug("dropping row with bad sku: %r", row["sku"])
            continue
        row["amount"] = parse_amount(row.get("amount"))
        clean.append(row)
    return clean


def invalid_rows(records: list[dict]) -> list[tuple[int, list[str]]]:
    problems = []
    for index, record in enumerate(records):
        missing = [field for field in REQUIRED_FIELDS if field not in record]
        if missing:
            problems.append((index, missing))
    return problems


def extract_order_refs(notes_text: str) -> list[str]:
    refs = []
    for note in notes_text.splitlines():
        pattern = re.compile(r"ORD-(\d{8})")
        refs.extend(pattern.findall(note))
    return refs


def extract_order_refs_precompiled(notes: list[str]) -> list[str]:
    return list(itertools.chain.from_iterable(ORDER_REF.findall(note) for note in notes))


def convert_currencies(records: list[dict], converter: CurrencyConverter) -> None:
    for record in records:
        record["amount_eur"] = converter.to_eur(record["amount"], record.get("currency", "EUR"))


def total_units(records: list[dict]) -> int:
    units = 0
    for i in range(len(records)):
        units += int(records[i]["quantity"])
    return units


def feed_stats(feed_path: Path) -> dict:
    records = json.loads(feed_path.read_text())
    units = sum([int(r["quantity"]) for r in records])
    has_refunds = any([r["amount"] < 0 for r in records])
    skus = []
    for r in records:
        skus.append(r["sku"])
    return {"units": units, "has_refunds": has_refunds, "distinct_skus": len(set(skus))}


# --- aggregate ---------------------------------------------------------------------------


def regional_matrix(regions: list[dict], products: list[dict], sales: list[dict]) -> dict:
    """Units sold per (region, product) pair."""
    matrix = {}
    # FIXME: this is most of the nightly runtime since the catalogue grew; see PIPE-212
    for region in regions:
        for product in products:
            units = 0
            for sale in sales:
                if sale["store"] in region["stores"] and sale["sku"] == product["sku"]:
                    units += int(sale["quantity"])
            matrix[(region["code"], product["sku"])] = units
    return matrix


def regional_matrix_single_pass(regions: list[dict], sales: list[dict]) -> Counter:
    store_region = {}
    for region in regions:
        for store in region["stores"]:
            store_region[store] = region["code"]
    matrix: Counter = Counter()
    for sale in sales:
        region_code = store_region.get(sale["store"])
        if region_code is not None:
            matrix[(region_code, sale["sku"])] += int(sale["quantity"])
    return matrix


def unknown_skus(units_by_sku: dict[str, int], catalogue: set[str]) -> list[str]:
    missing = []
    for sku, units in units_by_sku.items():
        if sku not in catalogue:
            missing.append(sku)
    return sorted(missing)


# --- load --------------------------------------------------------------------------------


def write_batches(records: list[dict], out_dir: Path, batch_size: int = 5000) -> int:
    num_batches = (len(records) + batch_size - 1) // batch_size
    for batch_no in list(range(num_batches)):
        chunk = records[batch_no * batch_size : (batch_no + 1) * batch_size]
        (out_dir / f"batch-{batch_no:04d}.json").write_text(json.dumps(chunk, default=str))
    return num_batches


def render_text_report(matrix: dict[tuple[str, str], int]) -> str:
    rows = sorted(matrix.items())
    report = ""
    i = 0
    while i < len(rows):
        (region_code, sku), units = rows[i]
        report += f"{region_code:<6}{sku:<14}{units:>8}\n"
        i += 1
    return report


def main(argv: list[str]) -> int:
    feed_dir, regions_file = Path(argv[1]), Path(argv[2])
    regions = json.loads(regions_file.read_text())
    rates = {code: parse_amount(rate) for code, rate in regions.pop("rates", {}).items()}

    records = normalise_records(read_feeds(sorted(feed_dir.glob("*.jsonl*"))))
    for index, missing in invalid_rows(records):
        logger.warning("row %d is missing %s", index, ", ".join(missing))
    convert_currencies(records, CurrencyConverter(rates))

    matrix = regional_matrix_single_pass(regions["regions"], records)
    write_batches(records, feed_dir / "out")
    (feed_dir / "out" / "summary.txt").write_text(render_text_report(matrix))
    for feed in sorted(feed_dir.glob("*.jsonl")):
        logger.info("%s: %s", feed.name, feed_stats(feed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
