"""Which till is calling: the bearer token of every terminal call, as a FastAPI dependency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from sync.relay.context import relay


@dataclass(frozen=True)
class Till:
    id: str
    shop_id: str
    name: str


class AuthError(Exception):
    """Missing, unknown or revoked terminal token; the app answers it with 401."""


async def authenticated_till(request: Request) -> Till:
    """Bearer-token auth for every terminal call; revoked or unknown tokens get 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError
    ctx = relay(request)
    row = await ctx.store.run(ctx.store.till_by_token, token.strip())
    if row is None:
        raise AuthError
    return Till(row.id, row.shop_id, row.name)


TillDep = Annotated[Till, Depends(authenticated_till)]
