"""Data access helpers shared by the billing jobs."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Account, Invoice


def account_by_ref(session: Session, ref: str) -> Account | None:
    return session.scalars(select(Account).where(Account.external_ref == ref)).first()


def accounts_by_ref(session: Session, refs: list[str]) -> dict[str, Account]:
    rows = session.scalars(select(Account).where(Account.external_ref.in_(refs)))
    return {account.external_ref: account for account in rows}


def overdue_invoices(session: Session, today: str) -> list[Invoice]:
    stmt = select(Invoice).where(Invoice.status == "open", Invoice.due_date < today)
    return list(session.scalars(stmt))
