"""The keyring the till keeps its secrets in (pos_app.store.keys chooses it): the data key,
and the relay terminal token the sync engine keeps there under SERVICE."""

from __future__ import annotations

from pos_app.store.keys import SERVICE, keyring_backend

__all__ = ["SERVICE", "keyring_backend"]
