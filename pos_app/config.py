"""The till's settings, from DUKA_* environment variables (and a .env file when present)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    try:
        import platformdirs
    except ImportError:  # a stripped-down bundle: fall back to the XDG default
        return Path.home() / ".local" / "share" / "duka-pos"
    return Path(platformdirs.user_data_dir("duka-pos", appauthor=False))


class TillSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUKA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    db_path: Path | None = None  # defaults to data_dir / "till.db"
    timezone: str = "Africa/Nairobi"
    relay_url: str | None = None
    till_id: str = "till-1"
    # "memory" selects the in-memory keyring (tests, CI); empty means the OS keyring
    keyring: str = ""

    @model_validator(mode="after")
    def _derive_db_path(self) -> TillSettings:
        if self.db_path is None:
            self.db_path = self.data_dir / "till.db"
        return self

    @property
    def database(self) -> Path:
        assert self.db_path is not None
        return self.db_path
