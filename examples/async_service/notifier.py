"""Notification worker: consumes order events and sends e-mails, SMS and push messages."""

import asyncio
import json
import logging
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import redis
import redis.asyncio

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")
SMS_GATEWAY = "https://sms.example.com/v1/messages"
PUSH_HOST = "push.example.com"

_cache = redis.Redis(host="cache", port=6379)
_async_cache = redis.asyncio.Redis(host="cache", port=6379)
_renderer = ThreadPoolExecutor(max_workers=2)
_pending: set[asyncio.Task] = set()


def render_template(name: str, context: dict) -> str:
    """Sync helper: runs on the renderer pool, never on the event loop."""
    text = (TEMPLATES / f"{name}.txt").read_text()
    return text.format(**context)


async def already_sent(event_id: str) -> bool:
    return bool(_cache.get(f"sent:{event_id}"))


async def already_sent_v2(event_id: str) -> bool:
    return bool(await _async_cache.get(f"sent:{event_id}"))


async def render(name: str, context: dict) -> str:
    future = _renderer.submit(render_template, name, context)
    return future.result()


async def render_v2(name: str, context: dict) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_renderer, render_template, name, context)


async def load_template(name: str) -> str:
    path = TEMPLATES / f"{name}.txt"
    if not path.exists():
        name = "default"
    return Path(TEMPLATES, f"{name}.txt").read_text()


async def push_host_address() -> str:
    return socket.gethostbyname(PUSH_HOST)


async def push_host_address_v2() -> str:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(PUSH_HOST, 443)
    return infos[0][4][0]


async def send_sms_batch(client: httpx.AsyncClient, messages: list[dict]) -> list[dict]:
    receipts = []
    for message in messages:
        response = await client.post(SMS_GATEWAY, json=message)
        receipts.append(response.json())
    return receipts


async def send_sms_batch_v2(client: httpx.AsyncClient, messages: list[dict]) -> list[dict]:
    limit = asyncio.Semaphore(10)

    async def send(message: dict) -> dict:
        async with limit:
            response = await client.post(SMS_GATEWAY, json=message)
            return response.json()

    return await asyncio.gather(*(send(message) for message in messages))


async def handle_event(raw: bytes) -> None:
    event = json.loads(raw)
    if await already_sent_v2(event["id"]):
        return
    asyncio.get_running_loop().create_task(audit(event))
    task = asyncio.create_task(audit(event))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def audit(event: dict) -> None:
    logger.info("event %s handled", event["id"])


async def reprocess(events: list[bytes]) -> None:
    for raw in events:
        asyncio.run(handle_event(raw))


def reprocess_from_cli(events: list[bytes]) -> None:
    async def main() -> None:
        await asyncio.gather(*(handle_event(raw) for raw in events))

    asyncio.run(main())
