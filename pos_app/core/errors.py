"""Every error the till shows a person. Each carries a message a cashier can read."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class DukaError(Exception):
    """Base of all till errors; `message` is safe to show (it never holds secrets)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- money and orders -------------------------------------------------------------------------
class MoneyError(DukaError):
    """Something is wrong with an amount of money."""


class InvalidAmount(MoneyError):
    """Zero, negative, or not an integer count of minor units."""


class FractionOfMinorUnit(MoneyError):
    """More decimals than the currency has (e.g. KES 1.005)."""


class InvalidMoneyText(MoneyError):
    """Text that is not a number the till can read."""


class UnknownCurrency(MoneyError):
    def __init__(self, code: str) -> None:
        super().__init__(f"Unknown currency {code!r}: the till only knows ISO 4217 codes it ships.")
        self.code = code


class CurrencyMismatch(MoneyError):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"Cannot mix {first} and {second} in one sum or one order.")
        self.first = first
        self.second = second


class InvalidOrder(DukaError):
    """An order that cannot be rung up (no lines, bad quantity, ...)."""


# --- tax, quantities, discounts, barcodes, receipts, refunds -----------------------------------
class UnknownTaxClass(DukaError):
    def __init__(self, code: str, country: str) -> None:
        super().__init__(f"{code!r} is not a tax class in {country}.")
        self.code = code
        self.country = country


class InvalidQuantity(InvalidOrder):
    """A quantity the till cannot sell: not a number, too many decimals, zero, too large."""


class InvalidDiscount(InvalidOrder):
    """A discount below zero, above what it discounts, or without a reason."""


class InvalidBarcode(DukaError):
    """A barcode with the wrong length, non-digits or a wrong check digit."""


class InvalidReceiptNumber(DukaError):
    """Text that is not a receipt number of the form PREFIX-000123."""


class RefundTooLarge(DukaError):
    """Returning more of a line than is left to refund."""


# --- payments ----------------------------------------------------------------------------------
class IllegalTransition(DukaError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"A payment cannot go from {current!r} to {target!r}.")
        self.current = current
        self.target = target


class PaymentError(DukaError):
    """A payment operation that the payment's method or state does not allow."""


class Overpayment(PaymentError):
    """A payment larger than what the order still owes."""


class InsufficientTender(PaymentError):
    """The cash handed over is less than the amount due."""


class SelfApprovalNotAllowed(PaymentError):
    """The person who submitted a proof may not approve it in this shop."""


class NotFound(DukaError):
    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"No {what} with id {ident!r}.")
        self.what = what
        self.ident = ident


class InvalidInput(DukaError):
    """Any other input the till refuses (empty reference, unknown method, ...)."""


# --- people --------------------------------------------------------------------------------------
class AuthError(DukaError):
    """PIN and permission problems."""


class WrongPin(AuthError):
    def __init__(self, attempts_left: int | None) -> None:
        hint = "" if attempts_left is None else f" {attempts_left} tries left before lock-out."
        super().__init__("Wrong PIN." + hint)
        self.attempts_left = attempts_left


class UserLocked(AuthError):
    def __init__(self, until: datetime) -> None:
        super().__init__(f"Too many wrong PINs: locked until {until:%H:%M} UTC.")
        self.until = until


class NotASupervisor(AuthError):
    def __init__(self) -> None:
        super().__init__("This needs a supervisor.")


class InactiveUser(AuthError):
    def __init__(self) -> None:
        super().__init__("This user is deactivated.")


class GrantProblem(StrEnum):
    """Why a supervisor's approval was refused (screens translate each one)."""

    MISSING = "missing"
    NOT_VALID = "not_valid"
    OTHER_ACTION = "other_action"
    EXPIRED = "expired"
    USED = "used"


_GRANT_PROBLEMS = {
    GrantProblem.MISSING: "This step needs a supervisor's approval.",
    GrantProblem.NOT_VALID: "This approval is not valid.",
    GrantProblem.OTHER_ACTION: "This approval was given for something else.",
    GrantProblem.EXPIRED: "This approval has expired.",
    GrantProblem.USED: "This approval was already used once.",
}


class NoAuthority(AuthError):
    """A privileged step without a valid supervisor approval (none, expired, another step,
    already used)."""

    def __init__(self, problem: GrantProblem) -> None:
        super().__init__(f"{_GRANT_PROBLEMS[problem]} A supervisor must type their PIN for this.")
        self.problem = problem


# --- shifts and catalogue ------------------------------------------------------------------------
class ShiftError(DukaError):
    """Opening a second shift, closing a closed one, selling with no shift, ..."""


class NoShiftOpen(ShiftError):
    """Selling with no shift open: its money would belong to no drawer count."""

    def __init__(self) -> None:
        super().__init__(
            "Open a shift before selling: a supervisor or cashier opens it on the Shift page."
        )


class CatalogueError(DukaError):
    """Duplicate barcode, bad CSV row, ..."""


# --- storage and keys ----------------------------------------------------------------------------
class StoreError(DukaError):
    """The ledger could not do what was asked."""


class DiskFull(StoreError):
    def __init__(self) -> None:
        super().__init__("The disk is full: nothing was saved. Free some space, then try again.")


class DamageKind(StrEnum):
    """What is wrong with the ledger (screens translate each one)."""

    FILE = "file"  # SQLite's or the money rows' check failed, or the file cannot be opened
    LOST_EVENTS = "lost_events"  # the relay holds events of this till the ledger lacks
    RESTORING = "restoring"  # a supervisor is restoring the till from its backup and relay


_DAMAGE_HELP = {
    DamageKind.FILE: (
        "The till's ledger file is damaged, so it will not sell: a sale written into a "
        "damaged file could be lost or wrong. A supervisor can restore it from the last "
        "backup and the relay's copy of this till's sales (Restore, or main.py --restore)."
    ),
    DamageKind.LOST_EVENTS: (
        "This till's ledger has lost {missing} sale record(s) the relay already holds (the "
        "file was cut short, e.g. by a power cut or a failing disk). Selling is stopped so no "
        "sale number is used twice. A supervisor can restore the till from its last backup "
        "and the relay's copy (Restore, or main.py --restore)."
    ),
    DamageKind.RESTORING: (
        "A supervisor is restoring this till from its backup and the relay's copy: it does "
        "not sell until Duka POS starts again."
    ),
}


class LedgerDamaged(StoreError):
    """The ledger failed a check: the till stops selling until it is restored. `kind` says
    which (screens translate it; `message` is the English for logs and the command line),
    `missing` how many events were lost, `findings` are SQLite's own words for support."""

    def __init__(
        self, kind: DamageKind, findings: tuple[str, ...] = (), *, missing: int = 0
    ) -> None:
        super().__init__(_DAMAGE_HELP[kind].format(missing=missing))
        self.kind = kind
        self.findings = findings
        self.missing = missing


class KeyUnavailable(StoreError):
    """No usable data key: no keyring and no explicit fallback, or the key is missing."""


class DecryptionError(StoreError):
    """A ciphertext failed authentication: wrong key, tampered, or moved to another row."""


class WrongDataKey(DecryptionError):
    """The data key does not belong to this database."""


class AuditChainBroken(StoreError):
    def __init__(self, seq: int) -> None:
        super().__init__(
            f"The audit log has been altered at entry {seq}: stop and call the shop owner."
        )
        self.seq = seq
