"""Nightly stocktake for the warehouse: loop-efficiency patterns (perfscan PS8xx).

Each slow function sits next to a version that does the same job the idiomatic way. The data
comes from the night's JSON export (`export.read_text()`), as large as the warehouse: the
per-item savings these rules point at grow with it.
Scan with `perfscan examples/inventory --target-version 3.10` to include PS803.
"""
import json
import os.path
from pathlib import Path


def shelf_labels(export: Path):
    # PS801: `sorted()` already returns a new list; `list()` copies it again.
    shelves = json.loads(export.read_text())
    labels = []
    for shelf in list(sorted(shelves)):
        labels.append(f"{shelf['aisle']}-{shelf['code']}")  # PS804 as well
    return labels


def shelf_labels_fast(export: Path):
    shelves = json.loads(export.read_text())
    return [f"{shelf['aisle']}-{shelf['code']}" for shelf in sorted(shelves)]


def drop_empty_bins(bins):
    # Quiet: the loop deletes from `bins`, so the copy is required.
    for code in list(bins):
        if not bins[code]:
            del bins[code]


def low_stock_skus(export: Path, threshold):
    # PS802: the value is never used... and PS804: a comprehension builds this.
    levels = json.loads(export.read_text())
    skus = []
    for sku, count in levels.items():
        if sku.startswith("X"):
            skus.append(sku)
    return skus


def low_stock_skus_fast(export: Path):
    levels = json.loads(export.read_text())
    return [sku for sku in levels if sku.startswith("X")]


def parse_counts(lines):
    # PS803 (with --target-version 3.10): the handler re-raises, so one try around the whole
    # loop behaves the same.
    counts = []
    for line in lines:
        try:
            counts.append(int(line))
        except ValueError as error:
            raise ValueError(f"bad count line: {line!r}") from error
    return counts


def parse_counts_lenient(lines):
    # Quiet: skipping bad lines needs a try per line.
    counts = []
    for line in lines:
        try:
            counts.append(int(line))
        except ValueError:
            continue
    return counts


def index_by_sku(export: Path):
    # PS806: a dict comprehension builds this.
    items = json.loads(export.read_text())
    by_sku = {}
    for item in items:
        by_sku[item["sku"]] = item
    return by_sku


def copy_pending(export: Path):
    # PS805: `list(pending)` copies in C.
    pending = export.read_text().split()
    queue = []
    for entry in pending:
        queue.append(entry)
    return queue


def export_rows(rows, base_dir, prices):
    # PS807: the import runs on every iteration. PS808: `sum(unit_prices)` walks every price
    # again on every iteration for the same total.
    unit_prices = list(prices)
    written = 0
    for row in rows:
        total = sum(unit_prices)
        import csv
        folder = os.path.join(base_dir, "export")
        written += len(csv.list_dialects()) + len(folder) + int(row * total)
    return written


def weighted_total(weights):
    # PS809: the index only reads `weights[i]`.
    total = 0.0
    for i in range(len(weights)):
        total += weights[i] * 0.5
    return total


def weighted_total_fast(weights):
    return sum(w * 0.5 for w in weights)


def smooth(export: Path):
    # PS809 stays quiet: the index also reaches the neighbour, weights[i - 1]. (The append
    # loop itself is still PS804.)
    weights = [float(w) for w in export.read_text().split()]
    out = []
    for i in range(1, len(weights)):
        out.append((weights[i] + weights[i - 1]) / 2)
    return out
