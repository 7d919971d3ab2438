"""The sandbox's FastAPI application: Daraja, Paystack, Flutterwave, Stripe, KRA eTIMS and
Africa's Talking SMS routes plus a small admin API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict

from sync.sandbox import (
    africastalking_api,
    daraja_api,
    etims_api,
    flutterwave_api,
    paystack_api,
    stripe_api,
)
from sync.sandbox.scripts import ScriptedOutcome, ScriptRule, outcome_named
from sync.sandbox.state import SandboxConfig, SandboxState

admin = APIRouter(prefix="/sandbox")


class ScriptRequest(BaseModel):
    """Body of POST /sandbox/script: a preset name ("cancelled", "no_callback", ...) or an
    explicit outcome, and the phone / amount / reference it applies to."""

    model_config = ConfigDict(extra="forbid")

    outcome: str | ScriptedOutcome
    phone: str | None = None
    amount_minor: int | None = None
    reference: str | None = None


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


@admin.post("/script")
async def add_rule(request: Request, body: ScriptRequest) -> dict[str, int]:
    try:
        outcome = outcome_named(body.outcome) if isinstance(body.outcome, str) else body.outcome
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    state = _state(request)
    state.script.add(
        ScriptRule(
            outcome=outcome,
            phone=body.phone,
            amount_minor=body.amount_minor,
            reference=body.reference,
        )
    )
    return {"rules": len(state.script.rules())}


@admin.delete("/script")
async def clear_rules(request: Request) -> dict[str, int]:
    _state(request).script.clear()
    return {"rules": 0}


@admin.get("/deliveries")
async def deliveries(request: Request) -> list[dict[str, Any]]:
    """Every callback/webhook the sandbox has sent, oldest first (for demos and debugging)."""
    return [
        {
            "kind": d.kind,
            "url": d.url,
            "status_code": d.status_code,
            "error": d.error,
            "at": d.at.isoformat(),
            "body": d.body.decode(),
        }
        for d in _state(request).deliveries
    ]


def create_app(config: SandboxConfig | None = None) -> FastAPI:
    state = SandboxState.from_config(config or SandboxConfig())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await state.close()

    app = FastAPI(title="Duka payment sandbox", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.sandbox = state
    app.state.etims = etims_api.EtimsWorld()
    app.state.sms = africastalking_api.SmsWorld()
    app.include_router(daraja_api.router)
    app.include_router(paystack_api.router)
    app.include_router(flutterwave_api.router)
    app.include_router(stripe_api.router)
    app.include_router(etims_api.router)
    app.include_router(africastalking_api.router)
    app.include_router(admin)
    return app
