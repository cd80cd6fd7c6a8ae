"""Back-office exports: order CSVs, HTML summaries and the refund queue."""

import csv
import io
import logging
from collections import deque
from decimal import Decimal
from html import escape

from .models import Customer, Order

logger = logging.getLogger(__name__)

ORDER_FIELDS = ("id", "customer_id", "customer__email", "status", "total", "placed_at")


def orders_for_country(country: str) -> list[dict]:
    """Orders shipped to `country`, as plain rows for the exporters below."""
    return list(
        Order.objects.filter(shipping_country=country, status=Order.Status.SHIPPED)
        .values(*ORDER_FIELDS)
        .order_by("placed_at")
    )


def export_orders_csv(orders: list[dict]) -> str:
    # TODO: this gets slow for the big year-end exports
    out = "order_id,customer,status,total\n"
    for order in orders:
        out += f"{order['id']},{order['customer__email']},{order['status']},{order['total']}\n"
    return out


def export_orders_csv_streamed(orders: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["order_id", "customer", "status", "total"])
    for order in orders:
        writer.writerow([order["id"], order["customer__email"], order["status"], order["total"]])
    return buffer.getvalue()


def render_order_table(orders: list[dict]) -> str:
    html = "<table class='orders'>"
    for order in orders:
        html += "<tr>"
        for cell in (order["id"], order["status"], order["total"]):
            html += f"<td>{escape(str(cell))}</td>"
        html += "</tr>"
    html += "</table>"
    return html


def render_order_table_joined(orders: list[dict]) -> str:
    rows = []
    for order in orders:
        cells = "".join(f"<td>{escape(str(c))}</td>" for c in (order["id"], order["status"]))
        rows.append(f"<tr>{cells}<td>{order['total']:.2f}</td></tr>")
    return "<table class='orders'>" + "".join(rows) + "</table>"


def attach_customer_names(orders: list[dict], customers: list[dict]) -> list[dict]:
    """Add the customer's full name to every order row."""
    matched = []
    for order in orders:
        for customer in customers:
            if customer["id"] == order["customer_id"]:
                matched.append({**order, "customer_name": customer["full_name"]})
                break
    return matched


def attach_customer_names_indexed(orders: list[dict], customers: list[dict]) -> list[dict]:
    names = {customer["id"]: customer["full_name"] for customer in customers}
    return [{**order, "customer_name": names.get(order["customer_id"], "")} for order in orders]


def vip_order_ids(orders: list[dict]) -> list[int]:
    vip_emails = list(Customer.objects.filter(tier="vip").values_list("email", flat=True))
    flagged = []
    for order in orders:
        if order["customer__email"] in vip_emails:
            logger.debug("vip order %s", order["id"])
            flagged.append(order["id"])
    return flagged


def bestseller_positions(order_rows: list[dict], isbn_sales: dict[str, int]) -> dict[int, int]:
    """Position of each order's best-selling book in this month's chart."""
    chart = [isbn for isbn, _ in sorted(isbn_sales.items(), key=lambda kv: -kv[1])]
    positions = {}
    for row in order_rows:
        if row["isbn"] in isbn_sales:
            positions[row["order_id"]] = chart.index(row["isbn"]) + 1
    return positions


def process_refund_queue(refunds: list[dict], gateway) -> Decimal:
    """Push refunds to the payment gateway, oldest first."""
    queue = list(refunds)
    refunded = Decimal("0.00")
    while queue:
        refund = queue.pop(0)
        if gateway.refund(refund["payment_id"], refund["amount"]):
            refunded += refund["amount"]
        else:
            logger.warning("refund %s failed, will retry tomorrow", refund["payment_id"])
    return refunded


def retry_failed_refunds(refunds: list[dict], gateway, max_attempts: int = 3) -> list[dict]:
    pending = deque((refund, 1) for refund in refunds)
    failed = []
    while pending:
        refund, attempt = pending.popleft()
        if gateway.refund(refund["payment_id"], refund["amount"]):
            continue
        if attempt < max_attempts:
            pending.append((refund, attempt + 1))
        else:
            failed.append(refund)
    return failed


def revenue_summary(orders: list[dict]) -> dict[str, Decimal]:
    """Total revenue per order status, plus a grand total."""
    totals: dict[str, Decimal] = {}
    grand_total = Decimal("0.00")
    for index, order in enumerate(orders, start=1):
        amount = Decimal(order["total"])
        totals[order["status"]] = totals.get(order["status"], Decimal("0.00")) + amount
        grand_total += amount
        if index % 1000 == 0:
            logger.info("summarised %d orders", index)
    totals["all"] = grand_total
    return totals
