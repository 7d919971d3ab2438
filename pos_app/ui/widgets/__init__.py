"""Widgets shared by the cashier and supervisor screens."""
