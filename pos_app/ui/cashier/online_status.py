"""What an online payment's status means for the cashier, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("OnlineStatus", text)


def describe(status: str) -> tuple[str, str, bool]:
    """(what happened, what to do next, is it final) for a payment status."""
    table = {
        "pending": (tr("Getting ready…"), "", False),
        "initiating": (tr("Sending the prompt…"), "", False),
        "awaiting_customer": (
            tr("Prompt sent: waiting for the customer to enter their PIN."),
            tr("Ask the customer to check their phone. If nothing arrives, cancel and "
               "use the paybill instead."),
            False,
        ),
        "succeeded": (tr("Paid."), "", True),
        "verified": (tr("Paid."), "", True),
        "cancelled": (
            tr("The customer cancelled the prompt."),
            tr("Try again, or take another tender."),
            True,
        ),
        "expired": (
            tr("No answer: the phone was unreachable or the prompt timed out."),
            tr("Check the number and try again, or use the paybill."),
            True,
        ),
        "failed": (
            tr("Declined: wrong PIN or not enough funds."),
            tr("Try again once the customer is ready, or take another tender."),
            True,
        ),
        "unknown": (
            tr("The outcome is not known yet."),
            tr("Press Check status; a supervisor can confirm it with the provider."),
            False,
        ),
        "awaiting_verification": (
            tr("Receipt code recorded: waiting for verification."),
            "",
            True,
        ),
    }
    return table.get(status, (status, "", False))
