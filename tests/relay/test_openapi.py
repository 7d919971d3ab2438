"""The terminal API's OpenAPI document: complete, exported to docs/openapi.json, and a bounded
schemathesis run against a real relay (no server error, no response outside its schema)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from sync.relay.api_doc import OPERATIONS, document
from sync.sandbox import SandboxConfig, SandboxServer
from tests.relay.conftest import Relay

EXPORTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_exported_document_is_current() -> None:
    assert json.loads(EXPORTED.read_text()) == json.loads(json.dumps(document())), (
        "regenerate: python -m sync.relay openapi > docs/openapi.json"
    )


def test_every_operation_has_its_body_auth_and_responses() -> None:
    doc = document()
    for (method, path), op in OPERATIONS.items():
        entry = doc["paths"][path][method]
        assert ("requestBody" in entry) == (op.body is not None), path
        assert ("security" in entry) == op.auth, path
        for status, response in entry["responses"].items():
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"], (path, status)
    refund = doc["paths"]["/api/v1/terminal/payments/{payment_id}/refund"]["post"]
    assert {p["name"] for p in refund["parameters"]} == {"payment_id", "Idempotency-Key"}
    assert doc["components"]["securitySchemes"]["terminalToken"]["scheme"] == "bearer"


@pytest.fixture
def fuzzed(relay_factory: Any) -> Iterator[tuple[Relay, dict[str, str]]]:
    """A till of a shop whose providers are the sandbox on loopback: generated requests that
    pass validation reach a real provider's answers (fast), and nothing leaves this machine."""
    relay: Relay = relay_factory(openapi_docs=True, terminal_rate_per_s=10_000.0)
    shop_id, _ = relay.shop()
    config = SandboxConfig(callback_delay_s=0.2)
    sandbox = SandboxServer(config)
    base = sandbox.start()
    daraja = config.daraja_credentials(initiator=False)
    relay.store.set_credentials(shop_id, "mpesa", "test", daraja, base)
    relay.store.set_credentials(
        shop_id, "paystack", "test", {"secret_key": config.paystack_secret_key}, base
    )
    try:
        yield relay, relay.auth(relay.till(shop_id))
    finally:
        sandbox.stop()


def no_crash(_ctx: Any, response: Any, case: Any) -> None:
    if response.status_code >= 500 and response.status_code != 502:
        raise AssertionError(f"{case.method} {case.path}: {response.status_code}")


def test_fuzz_the_terminal_api(fuzzed: tuple[Relay, dict[str, str]]) -> None:
    """Every operation, up to 40 generated requests each, as a signed-in till."""
    relay, auth = fuzzed
    served = relay.http.get("/openapi.json")
    assert served.status_code == 200
    schema = schemathesis.openapi.from_dict(served.json())
    schema.config.update(base_url=relay.url)
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results), "every operation loads"
    assert len(operations) == len(OPERATIONS) + 1  # and /healthz
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def call(case: Any) -> None:
            if case.path == "/api/v1/terminal/events" and case.method == "GET":
                case.query = {**(case.query or {}), "wait": 0}  # no long waits in a fuzz run
            case.call_and_validate(
                headers=auth,
                # 502 is the documented answer when a provider is not reached or refuses;
                # any other 5xx is a crash. Undocumented codes fail the conformance.
                checks=[no_crash, response_schema_conformance, status_code_conformance],
                excluded_checks=[negative_data_rejection, not_a_server_error],
                timeout=20,
            )

        call()
