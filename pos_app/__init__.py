"""Duka POS: an offline-first till for small shops."""

__version__ = "0.1.0"
