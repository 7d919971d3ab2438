"""A stand-in for Africa's Talking's SMS API (POST /version1/messaging), so demo mode sends
text receipts without an account: the same form fields (username, to, message, from), the
`apiKey` header, and the JSON reply with SMSMessageData.Recipients[] (docs/sms.md).

The texts it "sent" are kept in `app.state.sms` (`SmsWorld`) for tests and demos; nothing
leaves the machine. `SmsWorld.refuse[number] = code` makes that number answer a recipient
status code (406 UserInBlacklist, ...); `delay_s` answers late (a lost reply to the relay,
after the message was "sent").
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

router = APIRouter()

STATUS_NAMES: Final = {
    101: "Success",
    403: "InvalidPhoneNumber",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
}
COST: Final = "KES 0.8000"


@dataclass(frozen=True)
class SentSms:
    username: str
    to: str
    message: str
    sender: str | None
    message_id: str


@dataclass
class SmsWorld:
    sent: list[SentSms] = field(default_factory=list)
    refuse: dict[str, int] = field(default_factory=dict)
    delay_s: float = 0.0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))


def _world(request: Request) -> SmsWorld:
    world: SmsWorld = request.app.state.sms
    return world


@router.post("/version1/messaging")
async def send_message(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username") or "")
    to = str(form.get("to") or "")
    message = str(form.get("message") or "")
    if not request.headers.get("apiKey") or not username:
        return PlainTextResponse("The supplied authentication is invalid", status_code=401)
    if not to or not message:
        return PlainTextResponse("Must have to and message to send", status_code=400)
    world = _world(request)
    numbers = [n.strip() for n in to.split(",") if n.strip()]
    recipients = []
    for number in numbers:
        code = world.refuse.get(number, 101)
        if not (number.startswith("+") and number[1:].isdigit() and 10 <= len(number) <= 16):
            code = 403
        sent = code == 101
        message_id = f"ATXid_sandbox{next(world._ids):06d}" if sent else "None"
        if sent:
            sender = str(form["from"]) if form.get("from") else None
            world.sent.append(SentSms(username, number, message, sender, message_id))
        recipients.append({
            "statusCode": code,
            "number": number,
            "status": STATUS_NAMES.get(code, "Failed"),
            "cost": COST if sent else "0",
            "messageId": message_id,
        })  # fmt: skip
    if world.delay_s:
        await asyncio.sleep(world.delay_s)
    count = sum(1 for r in recipients if r["statusCode"] == 101)
    total = f"KES {0.8 * count:.4f}"
    body = {
        "SMSMessageData": {
            "Message": f"Sent to {count}/{len(numbers)} Total Cost: {total}",
            "Recipients": recipients,
        }
    }
    return JSONResponse(body, status_code=201)
