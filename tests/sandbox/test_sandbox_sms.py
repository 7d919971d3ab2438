"""The Africa's Talking stand-in over real HTTP on 127.0.0.1, spoken to by the relay's own
client: demo mode's texts go through the same wire format as the real API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync.providers.africastalking import SmsClient, SmsConfig, SmsFailed, SmsSent, SmsUnknown
from sync.sandbox import SandboxConfig, SandboxServer
from sync.sandbox.africastalking_api import SmsWorld

pytestmark = pytest.mark.anyio
TO = "+254712345678"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig()) as server:
        yield server


@pytest.fixture
def world(sandbox: SandboxServer) -> SmsWorld:
    world: SmsWorld = sandbox.app.state.sms
    world.sent.clear()
    world.refuse.clear()
    world.delay_s = 0.0
    return world


def config(sandbox: SandboxServer, **overrides: float) -> SmsConfig:
    return SmsConfig("sandbox", "demo-key", "DUKA", base_url=sandbox.base_url, **overrides)


async def test_a_text_is_sent_and_kept(sandbox: SandboxServer, world: SmsWorld) -> None:
    async with SmsClient(config(sandbox)) as sms:
        outcome = await sms.send(TO, "Duka Demo\nReceipt DEMO-000001")
    assert isinstance(outcome, SmsSent) and outcome.message_id.startswith("ATXid_")
    assert [(s.to, s.message, s.sender) for s in world.sent] == [
        (TO, "Duka Demo\nReceipt DEMO-000001", "DUKA")
    ]


async def test_a_refused_number_answers_its_status(sandbox: SandboxServer, world: SmsWorld) -> None:
    world.refuse[TO] = 406
    async with SmsClient(config(sandbox)) as sms:
        outcome = await sms.send(TO, "x")
    assert outcome == SmsFailed("406", "the customer has blocked messages from this sender")
    assert world.sent == []


async def test_a_late_answer_is_unknown(sandbox: SandboxServer, world: SmsWorld) -> None:
    world.delay_s = 1.0
    async with SmsClient(config(sandbox, timeout_s=0.3)) as sms:
        outcome = await sms.send(TO, "x")
    assert isinstance(outcome, SmsUnknown)
    assert len(world.sent) == 1  # it went out: the relay must not send it again
