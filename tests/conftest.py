"""Test-wide set-up that must happen before anything imports Qt or touches a keyring."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The OS keyring is unusable on a headless CI machine; tests use the in-memory backend.
os.environ["DUKA_KEYRING"] = "memory"
os.environ.pop("DUKA_DATA_KEY", None)
