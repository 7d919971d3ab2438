"""The terminal API's OpenAPI document, whole: the handlers parse their bodies themselves (one
error format, counted metrics), so FastAPI cannot see the request and response models; this
table names them, from sync/protocol.py, with every status code docs/relay-api.md lists."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from sync.protocol import (
    IDEMPOTENCY_HEADER,
    MAX_PULL_LIMIT,
    MAX_PULL_WAIT_S,
    C2BClaimRequest,
    C2BClaimView,
    C2BReceivedList,
    ErrorBody,
    PairRequest,
    PairResponse,
    PaymentLinkRequest,
    PaystackLinkRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RefundView,
    RelayPaymentView,
    RelayRefundRequest,
    SeqGap,
    StkPushRequest,
    TerminalSettings,
)

PREFIX = "/api/v1/terminal"
REF = "#/components/schemas/{model}"
Status = int
Answer = type[BaseModel] | str  # a model, or the name of a schema defined below


class Operation:
    def __init__(
        self,
        summary: str,
        body: type[BaseModel] | None,
        responses: dict[Status, tuple[str, Answer]],
        auth: bool = True,
        idempotency_key: bool = False,
        deprecated: bool = False,
    ) -> None:
        self.summary, self.body, self.responses = summary, body, responses
        self.auth, self.idempotency_key, self.deprecated = auth, idempotency_key, deprecated


E = ErrorBody
UNAUTHORISED = (401, ("missing, unknown or revoked terminal token", E))
INVALID = (422, ("malformed request", "Invalid"))
INITIATE: dict[Status, tuple[str, Answer]] = {
    200: ("the payment, or the provider's refusal as state error", RelayPaymentView),
    400: ("no Idempotency-Key header", E),
    409: ("same key with another body, still in progress, or no credentials for the mode", E),
    422: ("malformed request, amount or phone", "Invalid"),
    502: ("the provider was not reached: retry with the same key", E),
}

OPERATIONS: dict[tuple[str, str], Operation] = {
    ("post", f"{PREFIX}/pair"): Operation(
        "Exchange a one-time pairing code for a terminal token",
        PairRequest,
        {200: ("paired", PairResponse), 404: ("unknown, used or expired code", E), 422: INVALID[1]},
        auth=False,
    ),
    ("post", f"{PREFIX}/events"): Operation(
        "Push outbox events",
        PushRequest,
        {
            200: ("one result per event", PushResponse),
            409: ("the batch does not continue the till's sequence", SeqGap),
            401: UNAUTHORISED[1],
            422: INVALID[1],
        },
    ),
    ("get", f"{PREFIX}/events"): Operation(
        "Pull canonical payment events (long-poll)",
        None,
        {
            200: ("events after the cursor", PullResponse),
            400: ("bad cursor, wait or limit", E),
            401: UNAUTHORISED[1],
        },
    ),
    ("get", f"{PREFIX}/settings"): Operation(
        "The shop's name, test modes and M-Pesa pay-to number",
        None,
        {200: ("settings", TerminalSettings), 401: UNAUTHORISED[1]},
    ),
    ("post", f"{PREFIX}/payments/mpesa-stk"): Operation(
        "Start an M-Pesa STK push",
        StkPushRequest,
        {**INITIATE, 401: UNAUTHORISED[1]},
        idempotency_key=True,
    ),
    ("post", f"{PREFIX}/payments/link"): Operation(
        "Start a hosted checkout page (Paystack, Flutterwave or Stripe)",
        PaymentLinkRequest,
        {**INITIATE, 401: UNAUTHORISED[1]},
        idempotency_key=True,
    ),
    ("post", f"{PREFIX}/payments/paystack-link"): Operation(
        "Start a Paystack payment link (use /payments/link)",
        PaystackLinkRequest,
        {**INITIATE, 401: UNAUTHORISED[1]},
        idempotency_key=True,
        deprecated=True,
    ),
    ("get", f"{PREFIX}/payments/{{payment_id}}"): Operation(
        "A payment's state (asks the provider when the outcome is late)",
        None,
        {
            200: ("the payment", RelayPaymentView),
            404: ("unknown to this shop", E),
            401: UNAUTHORISED[1],
        },
    ),
    ("post", f"{PREFIX}/payments/{{payment_id}}/refund"): Operation(
        "Refund a paid Paystack, Flutterwave or Stripe payment",
        RelayRefundRequest,
        {
            200: ("the refund", RefundView),
            400: ("no Idempotency-Key header (the refund id)", E),
            401: UNAUTHORISED[1],
            403: ("above the owner's refund limit: the owner refunds it", E),
            404: ("unknown payment", E),
            409: ("not a paid hosted-page payment, no credentials, or in progress", E),
            422: ("malformed, more than the payment, or refused by the provider", "Invalid"),
            502: ("the provider was not reached: retry with the same key", E),
        },
        idempotency_key=True,
    ),
    ("post", f"{PREFIX}/c2b/claims"): Operation(
        "Ask for an unmatched M-Pesa C2B payment (one shop, one claim)",
        C2BClaimRequest,
        {
            200: ("the payment is this till's (granted now or before)", C2BClaimView),
            401: UNAUTHORISED[1],
            404: ("no M-Pesa-confirmed C2B payment with this receipt", E),
            409: ("another till of the shop has it (named in the body)", C2BClaimView),
            422: INVALID[1],
        },
    ),
    ("get", f"{PREFIX}/c2b/received"): Operation(
        "M-Pesa C2B payments reported for an account reference, and whether confirmed",
        None,
        {
            200: ("the last day's, oldest first", C2BReceivedList),
            401: UNAUTHORISED[1],
            422: ("no reference, or longer than 120 characters", "Invalid"),
        },
    ),
}

# Every operation may meet the Guard in front of the handlers.
GUARD: dict[Status, tuple[str, Answer]] = {
    413: ("body too large", E),
    429: ("rate limited: honour Retry-After", E),
}
INVALID_SCHEMA = {
    "title": "Invalid",
    "description": "An ErrorBody, or FastAPI's validation body (detail: a list of problems)",
    "anyOf": [
        {"$ref": "#/components/schemas/ErrorBody"},
        {
            "type": "object",
            "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
            "required": ["detail"],
        },
    ],
}
HEALTH_SCHEMA = {
    "type": "object",
    "properties": {"status": {"type": "string", "enum": ["ok", "db_down"]}},
    "required": ["status"],
}


def _schemas() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], Any]] = []
    for op in OPERATIONS.values():
        if op.body is not None:
            models.append((op.body, "validation"))
        for _, answer in op.responses.values():
            if not isinstance(answer, str):
                models.append((answer, "serialization"))
    models.append((ErrorBody, "serialization"))
    _, top = models_json_schema(list(dict.fromkeys(models)), ref_template=REF)
    schemas: dict[str, Any] = dict(top.get("$defs", {}))
    schemas["Invalid"] = INVALID_SCHEMA
    schemas["Health"] = HEALTH_SCHEMA
    return schemas


def _content(answer: Answer) -> dict[str, Any]:
    name = answer if isinstance(answer, str) else answer.__name__
    return {"application/json": {"schema": {"$ref": REF.format(model=name)}}}


def build(app: FastAPI) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": app.title,
            "version": "1",
            "description": "The relay's terminal API (docs/relay-api.md).",
        },
    }
    paths: dict[str, Any] = {}
    for (method, path), op in OPERATIONS.items():
        entry: dict[str, Any] = {
            "summary": op.summary,
            "operationId": f"{method}_{path.removeprefix(PREFIX + '/')}".replace("/", "_")
            .replace("{", "")
            .replace("}", "")
            .replace("-", "_"),
            "responses": {
                str(status): {"description": text, "content": _content(answer)}
                for status, (text, answer) in sorted({**op.responses, **GUARD}.items())
            },
        }
        parameters: list[dict[str, Any]] = []
        if "{payment_id}" in path:
            parameters.append(
                {"name": "payment_id", "in": "path", "required": True,
                 "schema": {"type": "string", "format": "uuid"}}
            )  # fmt: skip
        if op.idempotency_key:
            parameters.append(
                {"name": IDEMPOTENCY_HEADER, "in": "header", "required": True,
                 "description": "the payment id (initiate) or the refund id (refund)",
                 "schema": {"type": "string", "minLength": 1, "maxLength": 100}}
            )  # fmt: skip
        if path == f"{PREFIX}/c2b/received":
            parameters.append(
                {"name": "reference", "in": "query", "required": True,
                 "description": "the sale's paybill account reference",
                 "schema": {"type": "string", "minLength": 1, "maxLength": 120}}
            )  # fmt: skip
        if method == "get" and path == f"{PREFIX}/events":
            parameters += [
                {"name": "after", "in": "query", "required": False,
                 "schema": {"type": "string", "pattern": "^[0-9]+$", "default": "0"}},
                {"name": "wait", "in": "query", "required": False,
                 "schema": {"type": "number", "minimum": 0, "maximum": MAX_PULL_WAIT_S,
                            "default": 0}},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PULL_LIMIT,
                            "default": 100}},
            ]  # fmt: skip
        if parameters:
            entry["parameters"] = parameters
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": _content(op.body)}
        if op.auth:
            entry["security"] = [{"terminalToken": []}]
        if op.deprecated:
            entry["deprecated"] = True
        paths.setdefault(path, {})[method] = entry
    paths["/healthz"] = {
        "get": {
            "summary": "Whether the relay and its database answer",
            "operationId": "get_healthz",
            "responses": {
                "200": {"description": "ok", "content": _content("Health")},
                "503": {"description": "database unreachable", "content": _content("Health")},
            },
        }
    }
    doc["paths"] = paths
    doc["components"] = {
        "schemas": _schemas(),
        "securitySchemes": {
            "terminalToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "the terminal token a till got when it paired",
            }
        },
    }
    return doc


def document() -> dict[str, Any]:
    """The document of a relay as `duka-relay openapi` prints it (docs/openapi.json)."""
    return build(FastAPI(title="Duka relay"))


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
