"""Nightly billing jobs."""

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Account, Invoice
from .repository import account_by_ref, accounts_by_ref

cache = redis.Redis()


def import_payments(session: Session, payments: list[dict]) -> None:
    """Match bank payments to accounts: one SELECT per payment, through a helper."""
    for payment in payments:
        account = account_by_ref(session, payment["ref"])
        if account is not None:
            session.add(Invoice(account_id=account.id, status="paid", amount=payment["amount"]))
            session.commit()


def import_payments_batched(session: Session, payments: list[dict]) -> None:
    accounts = accounts_by_ref(session, [payment["ref"] for payment in payments])
    session.add_all(
        Invoice(account_id=accounts[p["ref"]].id, status="paid", amount=p["amount"])
        for p in payments
        if p["ref"] in accounts
    )
    session.commit()


def dunning_report(session: Session) -> list[str]:
    """Lists every account with its invoices: the relationship loads once per account."""
    lines = []
    for account in session.scalars(select(Account)):
        lines.append(f"{account.email}: {len(account.invoices)} invoices")
    return lines


def dunning_report_eager(session: Session) -> list[str]:
    stmt = select(Account).options(selectinload(Account.invoices))
    return [f"{a.email}: {len(a.invoices)} invoices" for a in session.scalars(stmt)]


def warm_cache(account_ids: list[int]) -> None:
    for account_id in account_ids:
        cache.set(f"account:{account_id}:warm", 1)
