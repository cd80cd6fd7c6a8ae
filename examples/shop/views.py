"""HTTP views for the bookshop front end and the staff back office."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from .models import Author, Book, Customer, Order
from .services import create_order, get_customer_profile, restock

PAGE_SIZE = 50


@require_GET
def book_list(request: HttpRequest) -> JsonResponse:
    """Public catalogue listing."""
    books = Book.objects.filter(status="active")
    data = []
    for book in books:
        label = book.title if book.in_stock else f"{book.title} (pre-order)"
        data.append({"title": label, "isbn": book.isbn, "author": book.author.name})
    return JsonResponse({"books": data})


@require_GET
def book_catalogue(request: HttpRequest) -> JsonResponse:
    """Catalogue with author, publisher and genres, fetched up front."""
    page = int(request.GET.get("page", 1))
    books = (
        Book.objects.filter(status=Book.Status.ACTIVE)
        .select_related("author", "publisher")
        .prefetch_related("genres")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    items = []
    for book in books:
        genres = [genre.name for genre in book.genres.all()]
        items.append(
            {
                "title": book.title,
                "author": book.author.name,
                "publisher": book.publisher.name if book.publisher else None,
                "genres": genres,
                "price": str(book.price),
            }
        )
    return JsonResponse({"page": page, "books": items})


@require_GET
def author_list(request: HttpRequest) -> JsonResponse:
    rows = []
    for author in Author.objects.all():
        rows.append({"name": author.name, "slug": author.slug, "books": author.books.count()})
    return JsonResponse({"authors": rows})


@require_GET
def author_list_annotated(request: HttpRequest) -> JsonResponse:
    authors = Author.objects.annotate(book_count=Count("books")).values(
        "name", "slug", "book_count"
    )
    return JsonResponse({"authors": list(authors)})


@require_POST
def wishlist_prices(request: HttpRequest) -> JsonResponse:
    """Price check for the books saved in the customer's wishlist."""
    prices = {}
    for book_id in request.POST.getlist("book_id"):
        book = Book.objects.get(pk=book_id)
        prices[book.isbn] = str(book.price)
    return JsonResponse({"prices": prices})


@require_POST
def checkout(request: HttpRequest) -> JsonResponse:
    customer = get_object_or_404(Customer, pk=request.user.customer_id)
    cart = {int(k): int(v) for k, v in request.session.get("cart", {}).items()}
    if not cart:
        return JsonResponse({"error": "cart is empty"}, status=400)
    order = create_order(customer, cart, country=request.POST["country"])
    request.session["cart"] = {}
    return JsonResponse({"order": order.pk, "total": str(order.total)}, status=201)


@staff_member_required
def top_customers(request: HttpRequest) -> JsonResponse:
    """Back-office dashboard: everyone who paid for something this quarter."""
    customer_ids = (
        Order.objects.filter(status=Order.Status.PAID)
        .values_list("customer_id", flat=True)
        .distinct()
    )
    profiles = []
    for customer_id in customer_ids:
        profile = get_customer_profile(customer_id)
        profiles.append({"email": profile.email, "orders": profile.order_count})
    profiles.sort(key=lambda p: p["orders"], reverse=True)
    return JsonResponse({"customers": profiles[:20]})


@staff_member_required
@require_POST
def receive_delivery(request: HttpRequest) -> JsonResponse:
    book_ids = [int(x) for x in request.POST.getlist("book_id")]
    restock(book_ids, quantity=int(request.POST.get("quantity", 1)))
    return JsonResponse({"restocked": len(book_ids)})


@staff_member_required
def order_detail(request: HttpRequest, order_id: int) -> JsonResponse:
    order = get_object_or_404(
        Order.objects.select_related("customer").prefetch_related("lines__book"), pk=order_id
    )
    lines = [
        {"title": line.book.title, "quantity": line.quantity, "subtotal": str(line.subtotal)}
        for line in order.lines.all()
    ]
    return JsonResponse(
        {"customer": order.customer.email, "status": order.status, "lines": lines}
    )
