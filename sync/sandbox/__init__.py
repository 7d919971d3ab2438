"""An offline stand-in for Daraja, Paystack, Flutterwave and Stripe that speaks their wire
formats.

In-process: `with SandboxServer(SandboxConfig(paystack_webhook_url=...)) as sandbox: ...`
(sandbox.base_url is the base URL for every provider's config). Stand-alone:
`python -m sync.sandbox --port 8081 --paystack-webhook-url http://127.0.0.1:8080/...`.
Scripted outcomes: see sync.sandbox.scripts.
"""

from sync.sandbox.app import create_app
from sync.sandbox.scripts import PRESETS, Delivery, ScriptedOutcome, ScriptRule
from sync.sandbox.server import SandboxServer
from sync.sandbox.state import SandboxConfig

__all__ = [
    "PRESETS",
    "Delivery",
    "SandboxConfig",
    "SandboxServer",
    "ScriptRule",
    "ScriptedOutcome",
    "create_app",
]
