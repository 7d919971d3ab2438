"""`python -m sync.sandbox`: run the payment sandbox on its own (demo mode, manual testing)."""

from __future__ import annotations

import argparse

import uvicorn

from sync.sandbox.app import create_app
from sync.sandbox.scripts import PRESETS, ScriptRule, outcome_named
from sync.sandbox.state import SandboxConfig


def _rule(text: str) -> ScriptRule:
    """PHONE=OUTCOME, e.g. 254712341032=cancelled, or KES amount as amount:150=wrong_pin."""
    target, _, name = text.partition("=")
    try:
        outcome = outcome_named(name)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if target.startswith("amount:"):
        return ScriptRule(outcome=outcome, amount_minor=int(target[7:]) * 100)
    return ScriptRule(outcome=outcome, phone=target)


def main(argv: list[str] | None = None) -> None:
    defaults = SandboxConfig()
    parser = argparse.ArgumentParser(
        prog="python -m sync.sandbox",
        description="Offline Daraja + Paystack stand-in speaking their real wire formats.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--paystack-webhook-url", help="where charge.success webhooks go")
    parser.add_argument("--paystack-secret-key", default=defaults.paystack_secret_key)
    parser.add_argument("--consumer-key", default=defaults.daraja_consumer_key)
    parser.add_argument("--consumer-secret", default=defaults.daraja_consumer_secret)
    parser.add_argument("--callback-delay", type=float, default=defaults.callback_delay_s)
    parser.add_argument("--late-delay", type=float, default=defaults.late_callback_delay_s)
    parser.add_argument(
        "--script",
        type=_rule,
        action="append",
        default=[],
        metavar="PHONE=OUTCOME",
        help=f"scripted outcome (repeatable); outcomes: {', '.join(sorted(PRESETS))}",
    )
    parser.add_argument("--no-default-script", action="store_true")
    args = parser.parse_args(argv)
    config = SandboxConfig(
        daraja_consumer_key=args.consumer_key,
        daraja_consumer_secret=args.consumer_secret,
        paystack_secret_key=args.paystack_secret_key,
        paystack_webhook_url=args.paystack_webhook_url,
        callback_delay_s=args.callback_delay,
        late_callback_delay_s=args.late_delay,
        rules=list(reversed(args.script)),
        use_default_script=not args.no_default_script,
    )
    base = f"http://{args.host}:{args.port}"
    print(
        f"Payment sandbox on {base} (Daraja and Paystack base URL)\n"
        f"  Daraja: consumer key {config.daraja_consumer_key!r}, secret "
        f"{config.daraja_consumer_secret!r}, shortcode {config.daraja_shortcode}, "
        "the public sandbox passkey\n"
        f"  Paystack: secret key {config.paystack_secret_key!r}; webhooks to "
        f"{config.paystack_webhook_url or '(none configured)'}\n"
        f"  Admin: POST {base}/sandbox/script, GET {base}/sandbox/deliveries",
        flush=True,
    )
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
