"""Where the shipped resources (fonts, translations, demo catalogue) live.

In a PyInstaller bundle they sit under sys._MEIPASS; from a checkout, beside the package.
"""

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root is not None:
        return Path(bundle_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
