"""Receipts: one layout for the screen, system printers and PDF, at 58 mm or 80 mm."""
