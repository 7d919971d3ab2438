"""The hosted relay: owns provider credentials, receives webhooks, syncs a shop's tills."""
