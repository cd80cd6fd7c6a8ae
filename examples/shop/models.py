"""Database models for the bookshop."""

from decimal import Decimal

from django.db import models
from django.utils import timezone


class Author(models.Model):
    """A writer whose books we sell."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    country = models.CharField(max_length=2, blank=True)
    bio = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Publisher(models.Model):
    name = models.CharField(max_length=200, unique=True)
    website = models.URLField(blank=True)


class Genre(models.Model):
    name = models.CharField(max_length=80, unique=True)


class Book(models.Model):
    """A title in the catalogue. Stock is tracked per book, not per copy."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        ACTIVE = "active"
        RETIRED = "retired"

    title = models.CharField(max_length=300)
    isbn = models.CharField(max_length=13, unique=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    publisher = models.ForeignKey(
        Publisher, on_delete=models.PROTECT, related_name="books", null=True, blank=True
    )
    genres = models.ManyToManyField(Genre, related_name="books", blank=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["published_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class Customer(models.Model):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    loyalty_code = models.CharField(max_length=32, blank=True)
    tier = models.CharField(max_length=16, default="standard")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.full_name or self.email


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        PAID = "paid"
        SHIPPED = "shipped"
        CANCELLED = "cancelled"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    placed_at = models.DateTimeField(default=timezone.now)
    shipping_country = models.CharField(max_length=2)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        indexes = [models.Index(fields=["customer", "placed_at"])]

    def recalculate_total(self) -> None:
        self.total = sum((line.subtotal for line in self.lines.all()), Decimal("0.00"))

    def describe(self) -> str:
        """One-line summary used in confirmation e-mails."""
        return ", ".join(f"{line.quantity} x {line.book.title}" for line in self.lines.all())


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=8, decimal_places=2)

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity
