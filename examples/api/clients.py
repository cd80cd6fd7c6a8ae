"""Async clients for the supplier APIs."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass(frozen=True)
class StockLevel:
    sku: str
    available: int
    warehouse: str


async def fetch_json(url: str, *, session: aiohttp.ClientSession | None = None) -> dict:
    """GET `url` and decode the JSON body, reusing `session` when one is given."""
    if session is None:
        async with aiohttp.ClientSession(timeout=DEFAULT_TIMEOUT) as own_session:
            return await fetch_json(url, session=own_session)
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.json()


class SupplierClient:
    """One supplier's REST API. Use as `async with SupplierClient(...) as client:`."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SupplierClient:
        self._session = aiohttp.ClientSession(headers=self._headers, timeout=DEFAULT_TIMEOUT)
        return self

    async def __aexit__(self, *exc_info) -> None:
        if self._session is not None:
            await self._session.close()

    async def stock_level(self, sku: str) -> StockLevel:
        data = await fetch_json(f"{self.base_url}/stock/{sku}", session=self._session)
        return StockLevel(sku=sku, available=data["available"], warehouse=data["warehouse"])

    async def stock_levels(self, skus: list[str]) -> list[StockLevel]:
        return await asyncio.gather(*(self.stock_level(sku) for sku in skus))

    async def stock_levels_one_by_one(self, skus: list[str]) -> list[StockLevel]:
        levels = []
        for sku in skus:
            levels.append(await self.stock_level(sku))
        return levels
