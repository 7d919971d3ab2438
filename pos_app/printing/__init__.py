"""Receipts on paper: the column layout (pure), ESC/POS output and the print queue."""
