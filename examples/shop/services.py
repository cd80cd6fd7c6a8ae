"""Domain services shared by the shop views and the back-office jobs."""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F

from .models import Book, Customer, Order, OrderLine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CustomerProfile:
    id: int
    email: str
    full_name: str
    tier: str
    order_count: int


def get_customer_profile(customer_id: int) -> CustomerProfile:
    """Load a customer together with the number of orders they placed."""
    customer = Customer.objects.get(pk=customer_id)
    return CustomerProfile(
        id=customer.pk,
        email=customer.email,
        full_name=customer.full_name,
        tier=customer.tier,
        order_count=customer.orders.count(),
    )


def find_customer_by_loyalty_code(code: str) -> Customer | None:
    """Checkout lets customers identify themselves with the code on their card."""
    return Customer.objects.filter(loyalty_code=code.strip().upper()).first()


def restock(book_ids: list[int], quantity: int) -> None:
    """Add `quantity` copies to the stock of every listed book."""
    for book in Book.objects.filter(pk__in=book_ids):
        book.stock += quantity
        book.save()


def restock_in_bulk(book_ids: list[int], quantity: int) -> int:
    """Same as `restock`, in a single UPDATE."""
    return Book.objects.filter(pk__in=book_ids).update(stock=F("stock") + quantity)


def create_order(customer: Customer, cart: dict[int, int], country: str) -> Order:
    """Create an order from a cart mapping book id -> quantity."""
    with transaction.atomic():
        order = Order.objects.create(customer=customer, shipping_country=country)
        books = Book.objects.in_bulk(list(cart))
        for book_id, quantity in cart.items():
            book = books[book_id]
            OrderLine.objects.create(
                order=order, book=book, quantity=quantity, unit_price=book.price
            )
        order.recalculate_total()
        order.save(update_fields=["total"])
    logger.info("order %s created for customer %s", order.pk, customer.pk)
    return order


def import_order_lines(order: Order, rows: list[dict]) -> list[OrderLine]:
    """Bulk-load lines coming from the marketplace integration."""
    books = Book.objects.in_bulk([row["book_id"] for row in rows])
    lines = [
        OrderLine(
            order=order,
            book=books[row["book_id"]],
            quantity=row["quantity"],
            unit_price=Decimal(row["unit_price"]),
        )
        for row in rows
    ]
    return OrderLine.objects.bulk_create(lines)


def clear_order_lines(order: Order) -> None:
    for line in order.lines.all():
        line.delete()


def cancel_stale_orders(cutoff: datetime) -> int:
    """Cancel unpaid orders older than `cutoff` and tell the customers."""
    stale = list(
        Order.objects.filter(status=Order.Status.PENDING, placed_at__lt=cutoff)
        .select_related("customer")
    )
    for order in stale:
        send_mail(
            subject=f"Your order #{order.pk} was cancelled",
            message="We did not receive payment in time. Your basket has been released.",
            from_email="orders@bookshop.example",
            recipient_list=[order.customer.email],
        )
    return Order.objects.filter(pk__in=[o.pk for o in stale]).update(
        status=Order.Status.CANCELLED
    )
