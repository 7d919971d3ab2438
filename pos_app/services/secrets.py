"""The keyring the till keeps its data key in (pos_app.store.keys chooses it); older versions
kept the relay terminal token there too, under SERVICE (sync.engine.credentials moves it)."""

from __future__ import annotations

from pos_app.store.keys import SERVICE, keyring_backend

__all__ = ["SERVICE", "keyring_backend"]
