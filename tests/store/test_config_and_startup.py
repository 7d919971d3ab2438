from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from pos_app.config import TillSettings
from pos_app.core.errors import KeyUnavailable
from pos_app.store.db import open_ledger
from pos_app.store.keys import ENV_KEY


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DUKA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUKA_TILL_ID", "till-7")
    monkeypatch.setenv("DUKA_RELAY_URL", "https://relay.example")
    s = TillSettings()
    assert s.database == tmp_path / "till.db"
    assert (s.till_id, s.relay_url, s.timezone) == (
        "till-7",
        "https://relay.example",
        "Africa/Nairobi",
    )
    monkeypatch.setenv("DUKA_DB_PATH", str(tmp_path / "elsewhere.db"))
    assert TillSettings().database == tmp_path / "elsewhere.db"


def test_default_data_dir_is_the_platform_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUKA_DATA_DIR", raising=False)
    monkeypatch.delenv("DUKA_DB_PATH", raising=False)
    s = TillSettings()
    assert s.data_dir.name == "duka-pos"
    assert s.database == s.data_dir / "till.db"


def test_no_keyring_and_no_fallback_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV_KEY, raising=False)
    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    with pytest.raises(KeyUnavailable, match="DUKA_DATA_KEY"):  # a real till: a relay is set
        open_ledger(TillSettings(data_dir=tmp_path, keyring="", relay_url="https://relay.test"))
    assert not (tmp_path / "till.db").exists()  # refused before creating anything
