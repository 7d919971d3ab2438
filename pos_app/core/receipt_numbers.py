"""Receipt numbers of one till, "TILL1-000123": short enough to read aloud over the phone.

Numbers are gap-free per till (ETIMS.md §5.5 asks the same of KRA's invcNo); handing out the
next one is the store's job, this is only the value, its text form and its parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from pos_app.core.errors import InvalidReceiptNumber

DIGITS: Final = 6  # zero-padded width; a longer sequence simply prints more digits
MAX_SEQUENCE: Final = 10**12 - 1
PREFIX_PATTERN: Final = re.compile(r"^[A-Z0-9]{1,12}$")
# Case, blanks and dash variants are forgiven: people read these out and type them back.
_TEXT = re.compile(r"^\s*([A-Za-z0-9]{1,12})\s*[-\u2010-\u2015\s]\s*(\d{1,12})\s*$")


@dataclass(frozen=True, slots=True, order=True)
class ReceiptNumber:
    prefix: str
    sequence: int

    def __post_init__(self) -> None:
        if not PREFIX_PATTERN.match(self.prefix):
            raise InvalidReceiptNumber(
                f"Receipt prefix {self.prefix!r} must be 1-12 capital letters or digits."
            )
        if isinstance(self.sequence, bool) or not isinstance(self.sequence, int):
            raise InvalidReceiptNumber("A receipt sequence is a whole number.")
        if not 1 <= self.sequence <= MAX_SEQUENCE:
            raise InvalidReceiptNumber(f"Receipt numbers run from 1 to {MAX_SEQUENCE:,}.")

    @classmethod
    def first(cls, prefix: str) -> ReceiptNumber:
        return cls(prefix, 1)

    def next(self) -> ReceiptNumber:
        return ReceiptNumber(self.prefix, self.sequence + 1)

    @classmethod
    def parse(cls, text: str) -> ReceiptNumber:
        match = _TEXT.match(str(text))
        if match is None:
            raise InvalidReceiptNumber(
                f"{text!r} is not a receipt number: it looks like TILL1-000123."
            )
        return cls(match[1].upper(), int(match[2]))

    def __str__(self) -> str:
        return f"{self.prefix}-{self.sequence:0{DIGITS}d}"
