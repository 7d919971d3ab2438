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
        description="Offline Daraja, Paystack, Flutterwave and Stripe stand-in speaking their "
        "real wire formats.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--paystack-webhook-url", help="where charge.success webhooks go")
    parser.add_argument("--paystack-secret-key", default=defaults.paystack_secret_key)
    parser.add_argument("--flutterwave-webhook-url", help="where charge.completed webhooks go")
    parser.add_argument("--flutterwave-secret-key", default=defaults.flutterwave_secret_key)
    parser.add_argument("--flutterwave-secret-hash", default=defaults.flutterwave_secret_hash)
    parser.add_argument(
        "--flutterwave-signature",
        choices=["hmac", "verif-hash"],
        default=defaults.flutterwave_signature,
        help="sign webhooks with flutterwave-signature (HMAC) or the v3 verif-hash",
    )
    parser.add_argument("--stripe-webhook-url", help="where checkout.session.* events go")
    parser.add_argument("--stripe-secret-key", default=defaults.stripe_secret_key)
    parser.add_argument("--stripe-webhook-secret", default=defaults.stripe_webhook_secret)
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
        flutterwave_secret_key=args.flutterwave_secret_key,
        flutterwave_secret_hash=args.flutterwave_secret_hash,
        flutterwave_webhook_url=args.flutterwave_webhook_url,
        flutterwave_signature=args.flutterwave_signature,
        stripe_secret_key=args.stripe_secret_key,
        stripe_webhook_secret=args.stripe_webhook_secret,
        stripe_webhook_url=args.stripe_webhook_url,
        callback_delay_s=args.callback_delay,
        late_callback_delay_s=args.late_delay,
        rules=list(reversed(args.script)),
        use_default_script=not args.no_default_script,
    )
    base = f"http://{args.host}:{args.port}"
    print(
        f"Payment sandbox on {base} (the base URL for every provider)\n"
        f"  Daraja: consumer key {config.daraja_consumer_key!r}, secret "
        f"{config.daraja_consumer_secret!r}, shortcode {config.daraja_shortcode}, "
        "the public sandbox passkey\n"
        f"  Paystack: secret key {config.paystack_secret_key!r}; webhooks to "
        f"{config.paystack_webhook_url or '(none configured)'}\n"
        f"  Flutterwave: secret key {config.flutterwave_secret_key!r}, secret hash "
        f"{config.flutterwave_secret_hash!r}; webhooks to "
        f"{config.flutterwave_webhook_url or '(none configured)'}\n"
        f"  Stripe: secret key {config.stripe_secret_key!r}, webhook secret "
        f"{config.stripe_webhook_secret!r}; events to "
        f"{config.stripe_webhook_url or '(none configured)'}\n"
        f"  Admin: POST {base}/sandbox/script, GET {base}/sandbox/deliveries",
        flush=True,
    )
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
