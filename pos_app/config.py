"""The till's settings, from DUKA_* environment variables (and a .env file when present)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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
    # the receipt printer (ESC/POS): "usb" address "04b8:0202" (vendor:product), "serial"
    # "/dev/ttyUSB0" or "COM3" (optionally "@19200" baud), "network" "192.168.1.50" (port
    # 9100 unless given), "cups" the queue name; "none" prints through the system dialog only
    printer: Literal["none", "usb", "serial", "network", "cups"] = "none"
    printer_address: str = ""
    printer_columns: Literal[32, 42, 48] = 42  # 58 mm: 32; 80 mm: 42 or 48 (512/576 dots)
    drawer_pin: Literal[2, 5] = 2

    @model_validator(mode="after")
    def _derive_db_path(self) -> TillSettings:
        if self.db_path is None:
            self.db_path = self.data_dir / "till.db"
        return self

    @property
    def database(self) -> Path:
        assert self.db_path is not None
        return self.db_path
