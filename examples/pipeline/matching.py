"""Reconciliation step of the nightly ETL: match partner shipments to our orders.

Written for a few hundred rows a night; partners now send tens of thousands.
"""
from __future__ import annotations

import logging
from collections import Counter

logger = logging.getLogger(__name__)


def reconcile(shipments: list[dict], orders: list[dict]) -> list[tuple[dict, dict]]:
    """Pair every shipment with the order it fulfils."""
    pairs = []
    for shipment in shipments:
        for order in orders:
            if order["ref"] == shipment["order_ref"]:
                pairs.append((shipment, order))
                break
    return pairs


def reconcile_indexed(shipments: list[dict], orders: list[dict]) -> list[tuple[dict, dict]]:
    orders_by_ref = {order["ref"]: order for order in orders}
    return [
        (shipment, orders_by_ref[shipment["order_ref"]])
        for shipment in shipments
        if shipment["order_ref"] in orders_by_ref
    ]


def duplicate_tracking_numbers(shipments: list[dict]) -> list[str]:
    """Tracking numbers that more than one shipment claims."""
    duplicates = []
    for first in shipments:
        for second in shipments:
            if first is not second and first["tracking"] == second["tracking"]:
                duplicates.append(first["tracking"])
    return duplicates


def duplicate_tracking_numbers_counted(shipments: list[dict]) -> list[str]:
    counts = Counter(shipment["tracking"] for shipment in shipments)
    return [tracking for tracking, count in counts.items() if count > 1]


def unique_carriers(shipments: list[dict]) -> list[str]:
    """Carriers in order of first appearance."""
    carriers = []
    for shipment in shipments:
        if shipment["carrier"] not in carriers:
            carriers.append(shipment["carrier"])
    return carriers


def unique_carriers_ordered(shipments: list[dict]) -> list[str]:
    return list(dict.fromkeys(shipment["carrier"] for shipment in shipments))


def match_weights(declared: list[float], measured: list[float]) -> list[tuple[int, int]]:
    """Index pairs whose declared and measured weights agree exactly."""
    matches = []
    for i in range(len(declared)):
        for j in range(len(measured)):
            if declared[i] == measured[j]:
                matches.append((i, j))
    return matches


def manifest_lines(shipments: list[dict]) -> list[str]:
    """One CSV line per shipment for the carrier's manifest upload."""
    lines = []
    for shipment in shipments:
        lines.append(shipment["tracking"] + ";" + shipment["carrier"] + ";" + shipment["postcode"])
    return lines


def manifest_lines_formatted(shipments: list[dict]) -> list[str]:
    return [f"{s['tracking']};{s['carrier']};{s['postcode']}" for s in shipments]


class ManifestWriter:
    """Collects the manifest in memory before the upload."""

    def __init__(self) -> None:
        self.body = ""

    def add_all(self, shipments: list[dict]) -> None:
        for shipment in shipments:
            self.body += f"{shipment['tracking']}\n"


def label_counts(labels: list[str], wanted: list[str]) -> dict[str, int]:
    """How often each wanted label was printed: `str.count` here counts characters, quiet."""
    printed = ",".join(labels)
    return {label: printed.count(label) for label in wanted}
