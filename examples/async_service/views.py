"""Async Django views of the notification preferences page."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse

from shop.models import Customer


async def preferences(request, customer_id: int) -> JsonResponse:
    customer = Customer.objects.get(pk=customer_id)
    return JsonResponse({"email": customer.email, "sms": customer.sms_opt_in})


async def preferences_v2(request, customer_id: int) -> JsonResponse:
    customer = await Customer.objects.aget(pk=customer_id)
    return JsonResponse({"email": customer.email, "sms": customer.sms_opt_in})


async def opt_out(request, customer_id: int) -> JsonResponse:
    Customer.objects.filter(pk=customer_id).update(sms_opt_in=False)
    return JsonResponse({"ok": True})


async def opt_out_v2(request, customer_id: int) -> JsonResponse:
    await Customer.objects.filter(pk=customer_id).aupdate(sms_opt_in=False)
    return JsonResponse({"ok": True})


async def subscriber_count(request) -> JsonResponse:
    count = await sync_to_async(Customer.objects.filter(sms_opt_in=True).count)()
    return JsonResponse({"subscribers": count})
