"""Async endpoints of the inventory-sync API."""

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import aiofiles
import aiohttp
import requests as http
from fastapi import APIRouter, HTTPException

from .clients import SupplierClient, fetch_json

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/inventory")

DB_PATH = os.environ.get("INVENTORY_DB", "/var/lib/inventory/inventory.db")
CONFIG_PATH = os.environ.get("INVENTORY_CONFIG", "/etc/inventory/config.json")
SUPPLIER_URL = "https://supplier.example.com/api/v1"
SUPPLIER_TOKEN = os.environ.get("SUPPLIER_TOKEN", "")

_executor = ThreadPoolExecutor(max_workers=4)
_jobs: dict[str, dict] = {}
_background_tasks: set[asyncio.Task] = set()
_shutdown = asyncio.Event()


async def sleep(seconds: float) -> None:
    """Sleep that wakes up early when the service is shutting down."""
    try:
        await asyncio.wait_for(_shutdown.wait(), timeout=seconds)
    except asyncio.TimeoutError:
        pass


def _lookup_item(sku: str) -> tuple | None:
    conn = sqlite3.connect(DB_PATH)
    try:
        return conn.execute("SELECT sku, name, qty FROM items WHERE sku = ?", (sku,)).fetchone()
    finally:
        conn.close()


def _merge_stock(totals: dict[str, int], feed: list[dict]) -> None:
    for item in feed:
        totals[item["sku"]] = totals.get(item["sku"], 0) + item["qty"]


@router.get("/suppliers/{supplier_id}/status")
async def supplier_status(supplier_id: str) -> dict:
    response = http.get(f"{SUPPLIER_URL}/suppliers/{supplier_id}", timeout=10)
    response.raise_for_status()
    return response.json()


@router.get("/v2/suppliers/{supplier_id}/status")
async def supplier_status_v2(supplier_id: str) -> dict:
    response = await asyncio.to_thread(
        http.get, f"{SUPPLIER_URL}/suppliers/{supplier_id}", timeout=10
    )
    response.raise_for_status()
    return response.json()


@router.get("/items/{sku}")
async def get_item(sku: str) -> dict:
    conn = sqlite3.connect(DB_PATH)
    try:
        row = conn.execute("SELECT sku, name, qty FROM items WHERE sku = ?", (sku,)).fetchone()
    finally:
        conn.close()
    if row is None:
        raise HTTPException(status_code=404, detail=f"unknown sku {sku}")
    return {"sku": row[0], "name": row[1], "qty": row[2]}


@router.get("/v2/items/{sku}")
async def get_item_v2(sku: str) -> dict:
    def count_reservations() -> int:
        with sqlite3.connect(DB_PATH) as conn:
            return conn.execute(
                "SELECT COUNT(*) FROM reservations WHERE sku = ?", (sku,)
            ).fetchone()[0]

    loop = asyncio.get_running_loop()
    row = await loop.run_in_executor(_executor, _lookup_item, sku)
    if row is None:
        raise HTTPException(status_code=404, detail=f"unknown sku {sku}")
    reserved = await loop.run_in_executor(_executor, count_reservations)
    return {"sku": row[0], "name": row[1], "qty": row[2] - reserved}


@router.get("/config")
async def get_config() -> dict:
    if not os.path.exists(CONFIG_PATH):
        raise HTTPException(status_code=404, detail="no configuration deployed")
    return json.loads(open(CONFIG_PATH).read())


@router.get("/v2/config")
async def get_config_v2() -> dict:
    try:
        async with aiofiles.open(CONFIG_PATH) as f:
            raw = await f.read()
    except FileNotFoundError:
        raise HTTPException(status_code=404, detail="no configuration deployed") from None
    return json.loads(raw)


@router.post("/sync")
async def trigger_sync() -> dict:
    result = subprocess.run(
        ["/usr/local/bin/inventory-sync", "--once"], capture_output=True, text=True
    )
    if result.returncode != 0:
        logger.error("sync failed: %s", result.stderr)
        raise HTTPException(status_code=502, detail="sync failed")
    return {"output": result.stdout.splitlines()[-1:]}


@router.post("/prices/refresh")
async def refresh_prices(skus: list[str]) -> dict:
    prices = []
    for sku in skus:
        prices.append(await fetch_json(f"{SUPPLIER_URL}/prices/{sku}"))
    return {"updated": len(prices)}


@router.post("/v2/prices/refresh")
async def refresh_prices_v2(skus: list[str]) -> dict:
    async with aiohttp.ClientSession() as session:
        prices = await asyncio.gather(
            *(fetch_json(f"{SUPPLIER_URL}/prices/{sku}", session=session) for sku in skus)
        )
    return {"updated": len(prices)}


@router.post("/stock/pull")
async def pull_stock(feed_urls: list[str]) -> dict:
    totals: dict[str, int] = {}
    for url in feed_urls:
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as response:
                feed = await response.json()
        _merge_stock(totals, feed)
    return {"skus": len(totals)}


@router.post("/stock/check")
async def check_stock(skus: list[str]) -> dict:
    async with SupplierClient(SUPPLIER_URL, SUPPLIER_TOKEN) as client:
        levels = await client.stock_levels(skus)
    return {level.sku: level.available for level in levels}


@router.post("/suppliers/{supplier_id}/ping")
async def ping_supplier(supplier_id: str) -> dict:
    for attempt in range(3):
        try:
            return await fetch_json(f"{SUPPLIER_URL}/suppliers/{supplier_id}/ping")
        except aiohttp.ClientError:
            logger.warning("ping %s failed (attempt %d)", supplier_id, attempt + 1)
            time.sleep(2**attempt)
    raise HTTPException(status_code=504, detail="supplier unreachable")


async def reindex_supplier(supplier_id: str) -> None:
    _jobs[supplier_id] = {"done": False}
    catalogue = await fetch_json(f"{SUPPLIER_URL}/suppliers/{supplier_id}/catalogue")
    logger.info("reindexed %d items for %s", len(catalogue.get("items", [])), supplier_id)
    _jobs[supplier_id]["done"] = True


@router.post("/webhooks/supplier")
async def supplier_webhook(payload: dict) -> dict:
    asyncio.create_task(reindex_supplier(payload["supplier_id"]))
    return {"accepted": True}


@router.post("/v2/webhooks/supplier")
async def supplier_webhook_v2(payload: dict) -> dict:
    task = asyncio.create_task(reindex_supplier(payload["supplier_id"]))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return {"accepted": True}


@router.get("/jobs/{supplier_id}/wait")
async def wait_for_reindex(supplier_id: str) -> dict:
    done = False
    while not done:
        done = _jobs.get(supplier_id, {}).get("done", False)
        await asyncio.sleep(0.1)
    return {"supplier": supplier_id, "done": True}


async def nightly_refresh() -> None:
    """Started once at application start-up; exits when the service shuts down."""
    while not _shutdown.is_set():
        try:
            await check_stock(["*"])
        except aiohttp.ClientError:
            logger.exception("nightly stock refresh failed")
        await sleep(24 * 60 * 60)
