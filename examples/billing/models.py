"""SQLAlchemy models for the billing service."""

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    external_ref: Mapped[str] = mapped_column(String(64))
    invoices = relationship("Invoice", back_populates="account")


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_account_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    status: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[str] = mapped_column(String(10))
    amount = mapped_column(Numeric(10, 2))
    account = relationship("Account", back_populates="invoices", lazy="joined")
