"""Small helpers used by the ETL job: parsing, currency conversion, shipping maths."""

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def parse_amount(raw: str | int | float | None) -> Decimal:
    """Partners send amounts as "12,50", "12.50" or 12.5; normalise them all."""
    if raw is None or raw == "":
        return Decimal("0.00")
    try:
        return Decimal(str(raw).replace(",", ".")).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"not an amount: {raw!r}") from None


@functools.lru_cache(maxsize=4096)
def normalise_sku(raw: str) -> str:
    return raw.strip().upper().replace("_", "-")


class CurrencyConverter:
    """Converts amounts to EUR using the day's reference rates."""

    def __init__(self, rates: dict[str, Decimal]) -> None:
        self.rates = {code.upper(): rate for code, rate in rates.items()}

    @functools.lru_cache(maxsize=None)
    def rate(self, currency: str) -> Decimal:
        code = currency.upper()
        if code == "EUR":
            return Decimal(1)
        if code not in self.rates:
            raise KeyError(f"no reference rate for {code}")
        return Decimal(1) / self.rates[code]

    def to_eur(self, amount: Decimal, currency: str) -> Decimal:
        return (amount * self.rate(currency)).quantize(CENT, rounding=ROUND_HALF_UP)


def shipment_plans(pallets: int) -> int:
    """Ways to dispatch `pallets` on a sequence of 1- and 2-pallet trucks."""
    if pallets <= 1:
        return 1
    return shipment_plans(pallets - 1) + shipment_plans(pallets - 2)


def shipment_plans_iterative(pallets: int) -> int:
    previous, current = 1, 1
    for _ in range(pallets - 1):
        previous, current = current, previous + current
    return current


def daily_deltas(totals: list[int]) -> list[int]:
    return [today - yesterday for yesterday, today in zip(totals, totals[1:])]


def carrier_assignments(warehouses: list[dict], carriers: list[dict]) -> list[tuple[str, str]]:
    """Every (warehouse, carrier) pair serving the same region."""
    pairs = []
    for warehouse in warehouses:
        # Both lists come from settings.py and hold a handful of entries each.
        for carrier in carriers:  # noqa
            if carrier["region"] == warehouse["region"]:
                pairs.append((warehouse["code"], carrier["code"]))
    return pairs


def basket_value(lines: list[dict]) -> Decimal:
    total = Decimal("0.00")
    for line in lines:
        price = parse_amount(line["unit_price"])
        total += price * int(line["quantity"])
    return total
