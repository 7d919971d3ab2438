"""What every provider client does over HTTP: one httpx.AsyncClient (its own unless the relay
shares one), requests to the provider's base URL with wire.send's resend rules, and the
failures that mean "the provider is not there right now" rather than "it said no"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, Self

import httpx

from sync.providers.base import PaymentProviderInterface, ProviderError
from sync.providers.wire import nothing_was_sent, send


class HttpSettings(Protocol):
    """What a provider's config says about reaching it (each provider module's *Config)."""

    @property
    def base_url(self) -> str | None: ...

    @property
    def timeout_s(self) -> float: ...

    @property
    def retry_backoff_s(self) -> float: ...


class ProviderHttp:
    """The HTTP half of a provider client; payment providers add PaymentProviderInterface
    (HttpProviderClient), other services (eTIMS) use it alone."""

    def __init__(self, settings: HttpSettings, http: httpx.AsyncClient | None) -> None:
        self._http = http or httpx.AsyncClient(timeout=settings.timeout_s)
        self._owns_http = http is None
        self._base_url = str(settings.base_url)
        self._timeout_s = settings.timeout_s
        self._backoff_s = settings.retry_backoff_s

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def _send(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        is_answer: Callable[[httpx.Response], bool] | None = None,
        timeout_s: float | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """One request to base URL + `path` (resent only when `idempotent`, see wire.send);
        raises httpx.TransportError for the provider module to say what it means."""
        return await send(
            self._http,
            method,
            f"{self._base_url}{path}",
            timeout_s=self._timeout_s if timeout_s is None else timeout_s,
            idempotent=idempotent,
            backoff_s=self._backoff_s,
            is_answer=is_answer,
            **kwargs,
        )


class HttpProviderClient(ProviderHttp, PaymentProviderInterface):
    """A payment provider spoken to over HTTP."""

    async def _bearer_request(
        self,
        provider: str,
        secret_key: str,
        method: str,
        path: str,
        *,
        idempotent: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        """A request authorised by the secret key as a bearer token. A request that must not
        be resent (a refund) and may have reached the provider ends in `<name>_no_answer`,
        which sends the person to the provider's dashboard before any second try."""
        headers = {"Authorization": f"Bearer {secret_key}"}
        try:
            return await self._send(method, path, idempotent=idempotent, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            if idempotent or nothing_was_sent(exc):
                raise unreachable(self.name, provider, exc) from None
            raise ProviderError(
                f"{self.name}_no_answer",
                f"{provider} did not answer; the request may have gone through. Check the "
                f"{provider} dashboard before trying again.",
                detail=type(exc).__name__,
            ) from None


def unreachable(code_prefix: str, provider: str, exc: httpx.TransportError) -> ProviderError:
    """Nothing reached the provider (or an idempotent request may simply be sent again)."""
    return ProviderError(
        f"{code_prefix}_unreachable",
        f"Could not reach {provider}. Check the internet connection and try again.",
        retryable=True,
        detail=type(exc).__name__,
    )


def overloaded(
    code_prefix: str, provider: str, status: int, detail: str, then: str = ""
) -> ProviderError | None:
    """A 429 or 5xx reply: worth trying again later. `then` follows "Try again shortly"."""
    if status == 429:
        return ProviderError(
            f"{code_prefix}_rate_limited",
            f"{provider} is asking us to slow down. Try again in a minute.",
            retryable=True,
            http_status=status,
            detail=detail,
        )
    if status >= 500:
        return ProviderError(
            f"{code_prefix}_unavailable",
            f"{provider} is having problems right now. Try again shortly{then}.",
            retryable=True,
            http_status=status,
            detail=detail,
        )
    return None
