"""The till's settings, from DUKA_* environment variables (and a .env file when present)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
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
    printer_columns: int = 42  # 58 mm: 32; 80 mm: 42 or 48 (a 512- or 576-dot head)
    drawer_pin: int = 2  # the drawer's connector pin: 2 or 5
    # a cash shortage at close larger than this (minor units) needs the cashier's reason
    shortage_tolerance_minor: int = Field(default=0, ge=0)
    # encrypted ledger backups: kept this many days in data_dir/backups, and copied to
    # backup_copy_dir too when set (a USB stick: a lost PC then loses nothing)
    backup_keep_days: int = Field(default=14, ge=1)
    backup_copy_dir: Path | None = None

    @field_validator("printer_columns")
    @classmethod
    def _roll_columns(cls, value: int) -> int:
        if value not in (32, 42, 48):
            raise ValueError("a receipt roll prints 32, 42 or 48 characters a line")
        return value

    @field_validator("drawer_pin")
    @classmethod
    def _drawer_pin(cls, value: int) -> int:
        if value not in (2, 5):
            raise ValueError("a cash drawer is kicked on pin 2 or pin 5")
        return value

    @model_validator(mode="after")
    def _derive_db_path(self) -> TillSettings:
        if self.db_path is None:
            self.db_path = self.data_dir / "till.db"
        return self

    @property
    def database(self) -> Path:
        assert self.db_path is not None
        return self.db_path
