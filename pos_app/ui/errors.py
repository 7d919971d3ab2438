"""One translation of the services' refusals for every screen: a DukaError subclass the
person can act on becomes a sentence in the signed-in user's language."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from pos_app.core.errors import (
    DamageKind,
    DecryptionError,
    DiskFull,
    DukaError,
    FractionOfMinorUnit,
    GrantProblem,
    InactiveUser,
    InvalidMoneyText,
    LedgerDamaged,
    NoAuthority,
    NoShiftOpen,
    NotASupervisor,
    SelfApprovalNotAllowed,
    UserLocked,
    WrongPin,
)
from pos_app.services.admin import LastSupervisor, RelayNotPaired
from pos_app.services.approvals import ClaimNeedsRelay, NotesRequired
from pos_app.services.gateway import C2BNotConfirmed, C2BTaken, GatewayUnavailable
from pos_app.services.refunds import (
    AlreadyRefunded,
    RefundAlreadyRequested,
    RefundPending,
    RefundTooLarge,
    ReversalCodeMissing,
)


def error_message(error: BaseException) -> str:
    """What to show the person at the till, in their language where the refusal is a known
    one; the service's own message otherwise. Never a traceback or a secret."""
    if isinstance(error, WrongPin):
        if error.attempts_left is None:
            return QCoreApplication.translate("Errors", "Wrong PIN.")
        return QCoreApplication.translate(
            "Errors", "Wrong PIN. %1 tries left before lock-out."
        ).replace("%1", str(error.attempts_left))
    if isinstance(error, UserLocked):
        # minutes to wait, not a clock time: no zone to get wrong (the lock is stored in UTC)
        minutes = max(1, math.ceil((error.until - datetime.now(UTC)).total_seconds() / 60))
        return QCoreApplication.translate(
            "Errors", "Too many wrong PINs: try again in %1 min."
        ).replace("%1", str(minutes))
    if isinstance(error, NoShiftOpen):
        return QCoreApplication.translate(
            "Errors", "Open a shift before selling: a supervisor or cashier opens it on the "
            "Shift page."
        )
    if isinstance(error, LedgerDamaged):
        return damage_message(error)
    if isinstance(error, NoAuthority):
        return _grant_problem(error.problem)
    if isinstance(error, RefundTooLarge):
        return (
            QCoreApplication.translate(
                "Errors", "%1 is more than was paid and not yet refunded (%2)."
            )
            .replace("%1", error.asked.format())
            .replace("%2", error.remaining.format())
        )
    if isinstance(error, C2BTaken):
        if error.till_name:
            return (
                QCoreApplication.translate(
                    "Errors",
                    "M-Pesa payment %1 was given to till %2, not this one: it is that till's "
                    "money. Nothing was recorded here.",
                )
                .replace("%1", error.receipt)
                .replace("%2", error.till_name)
            )
        return QCoreApplication.translate(
            "Errors",
            "M-Pesa payment %1 was given to another till of this shop: it is that till's "
            "money. Nothing was recorded here.",
        ).replace("%1", error.receipt)
    if isinstance(error, C2BNotConfirmed):
        return QCoreApplication.translate(
            "Errors",
            "M-Pesa has not confirmed payment %1 (claimed, not yet confirmed): it cannot pay a "
            "sale yet. Nothing was recorded; try again in a few minutes.",
        ).replace("%1", error.receipt)
    known: list[tuple[type[BaseException], str]] = [
        (
            NotASupervisor,
            QCoreApplication.translate("Errors", "This needs a supervisor's PIN."),
        ),
        (InactiveUser, QCoreApplication.translate("Errors", "This user is deactivated.")),
        (
            SelfApprovalNotAllowed,
            QCoreApplication.translate(
                "Errors", "You submitted this proof: another supervisor must approve it."
            ),
        ),
        (
            LastSupervisor,
            QCoreApplication.translate(
                "Errors",
                "This is the last active supervisor: add another supervisor before deactivating "
                "this one.",
            ),
        ),
        (
            AlreadyRefunded,
            QCoreApplication.translate("Errors", "This payment was already refunded in full."),
        ),
        (
            RefundPending,
            QCoreApplication.translate(
                "Errors",
                "The refund is recorded as requested, but the relay did not answer. The till "
                "asks again by itself with the same request (it can never refund twice).",
            ),
        ),
        (
            RefundAlreadyRequested,
            QCoreApplication.translate(
                "Errors",
                "A refund of this payment is already waiting for the provider: it is sent again "
                "automatically until the provider answers.",
            ),
        ),
        (
            ReversalCodeMissing,
            QCoreApplication.translate(
                "Errors",
                "Type the M-Pesa reversal's transaction code from the confirmation SMS.",
            ),
        ),
        (
            NotesRequired,
            QCoreApplication.translate(
                "Errors", "Say why you reject it (the cashier will read this)."
            ),
        ),
        (
            RelayNotPaired,
            QCoreApplication.translate(
                "Errors",
                "This needs the relay, and this till is not paired with one: pair it in Settings.",
            ),
        ),
        (
            ClaimNeedsRelay,
            QCoreApplication.translate(
                "Errors",
                "Only the relay can give this M-Pesa payment to this till (another till may "
                "ask for it too), and it cannot be reached: nothing was recorded. Try again "
                "when the till is online.",
            ),
        ),
        (
            GatewayUnavailable,
            QCoreApplication.translate(
                "Errors",
                "The relay cannot be reached right now: nothing was changed. Try again when "
                "the till is online.",
            ),
        ),
        (
            InvalidMoneyText,
            QCoreApplication.translate(
                "Errors", "That is not an amount. Type digits, e.g. 1,250.50."
            ),
        ),
        (
            FractionOfMinorUnit,
            QCoreApplication.translate(
                "Errors", "That amount has more decimals than the currency has."
            ),
        ),
        (
            DecryptionError,
            QCoreApplication.translate(
                "Errors", "This stored item cannot be decrypted: it was damaged or altered."
            ),
        ),
        (
            DiskFull,
            QCoreApplication.translate(
                "Errors",
                "The disk is full: nothing was saved. Free some space, then try again.",
            ),
        ),
    ]
    for kind, text in known:
        if isinstance(error, kind):
            return text
    if isinstance(error, DukaError):
        return error.message
    return QCoreApplication.translate(
        "Errors", "Something went wrong; nothing was changed. Try again."
    )


def damage_message(damage: LedgerDamaged) -> str:
    """Why the till stopped selling, in words a supervisor understands."""
    if damage.kind is DamageKind.RESTORING:
        return QCoreApplication.translate(
            "Errors",
            "A supervisor is restoring this till from its backup and the relay's copy: it "
            "does not sell until Duka POS starts again.",
        )
    if damage.kind is DamageKind.LOST_EVENTS:
        return QCoreApplication.translate(
            "Errors",
            "This till's ledger has lost %1 sale record(s) the relay already holds (the file "
            "was cut short, e.g. by a power cut or a failing disk). Selling is stopped so no "
            "sale number is used twice. A supervisor can restore the till from its last "
            "backup and the relay's copy (Restore from backup / relay).",
        ).replace("%1", str(damage.missing))
    return QCoreApplication.translate(
        "Errors",
        "The till's ledger file is damaged, so it will not sell: a sale written into a "
        "damaged file could be lost or wrong. A supervisor can restore it from the last "
        "backup and the relay's copy of this till's sales (Restore from backup / relay).",
    )


def _grant_problem(problem: GrantProblem) -> str:
    why = {
        GrantProblem.MISSING: QCoreApplication.translate(
            "Errors", "This step needs a supervisor's approval."
        ),
        GrantProblem.NOT_VALID: QCoreApplication.translate(
            "Errors", "This approval is not valid."
        ),
        GrantProblem.OTHER_ACTION: QCoreApplication.translate(
            "Errors", "This approval was given for something else."
        ),
        GrantProblem.EXPIRED: QCoreApplication.translate("Errors", "This approval has expired."),
        GrantProblem.USED: QCoreApplication.translate(
            "Errors", "This approval was already used once: each PIN approves one change."
        ),
    }[problem]
    again = QCoreApplication.translate("Errors", "%1 A supervisor must type their PIN again.")
    return again.replace("%1", why)
