"""How the terminal API answers a refused call: a counted JSON error, or pydantic's 422."""

from __future__ import annotations

import json
from typing import TypeVar

from fastapi import Response
from pydantic import BaseModel, ValidationError

from sync.protocol import ErrorBody, ErrorCode
from sync.relay.observability import TERMINAL_CALLS

M = TypeVar("M", bound=BaseModel)


def error(status: int, detail: str, operation: str, code: ErrorCode | None = None) -> Response:
    TERMINAL_CALLS.labels(operation, str(status)).inc()
    body = ErrorBody(detail=detail, code=code).model_dump_json(exclude_none=True)
    return Response(body, status_code=status, media_type="application/json")


def json_body(model: type[M], body: bytes, operation: str) -> M | Response:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        TERMINAL_CALLS.labels(operation, "422").inc()
        return Response(
            json.dumps(
                {"detail": exc.errors(include_url=False, include_context=False)}, default=str
            ),
            status_code=422,
            media_type="application/json",
        )
