"""What an online payment's status means for the cashier, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def describe(status: str) -> tuple[str, str, bool]:
    """(what happened, what to do next, is it final) for a payment status."""
    table = {
        "pending": (QCoreApplication.translate("OnlineStatus", "Getting ready…"), "", False),
        "initiating": (
            QCoreApplication.translate("OnlineStatus", "Sending the prompt…"),
            "",
            False,
        ),
        "awaiting_customer": (
            QCoreApplication.translate(
                "OnlineStatus", "Prompt sent: waiting for the customer to enter their PIN."
            ),
            QCoreApplication.translate(
                "OnlineStatus",
                "Ask the customer to check their phone. If nothing arrives, cancel and "
                "use the paybill instead.",
            ),
            False,
        ),
        "succeeded": (QCoreApplication.translate("OnlineStatus", "Paid."), "", True),
        "verified": (QCoreApplication.translate("OnlineStatus", "Paid."), "", True),
        "cancelled": (
            QCoreApplication.translate("OnlineStatus", "The customer cancelled the prompt."),
            QCoreApplication.translate("OnlineStatus", "Try again, or take another tender."),
            True,
        ),
        "expired": (
            QCoreApplication.translate(
                "OnlineStatus", "No answer: the phone was unreachable or the prompt timed out."
            ),
            QCoreApplication.translate(
                "OnlineStatus", "Check the number and try again, or use the paybill."
            ),
            True,
        ),
        "failed": (
            QCoreApplication.translate("OnlineStatus", "The payment was declined."),
            QCoreApplication.translate(
                "OnlineStatus", "Try again once the customer is ready, or take another tender."
            ),
            True,
        ),
        "unknown": (
            QCoreApplication.translate("OnlineStatus", "The outcome is not known yet."),
            QCoreApplication.translate(
                "OnlineStatus", "Press Check status; a supervisor can confirm it with the provider."
            ),
            False,
        ),
        "awaiting_verification": (
            QCoreApplication.translate(
                "OnlineStatus", "Receipt code recorded: a supervisor must approve it."
            ),
            QCoreApplication.translate(
                "OnlineStatus",
                "Until a supervisor approves the code, the sale waits in the list of waiting "
                "sales.",
            ),
            True,
        ),
    }
    return table.get(status, (status, "", False))
