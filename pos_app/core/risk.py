"""Risk scoring from named, explained factors. The service gathers the signals; this scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from pos_app.core.money import Money
from pos_app.core.payments import PaymentProvider

DEFAULT_THRESHOLD: Final = 50
FAR_ABOVE_USUAL_FACTOR: Final = 5
MANY_ATTEMPTS: Final = 3
ATTEMPT_WINDOW_MINUTES: Final = 10


@dataclass(frozen=True, slots=True)
class RiskFactor:
    name: str
    weight: int
    explanation: str


FACTORS: Final[dict[str, RiskFactor]] = {
    f.name: f
    for f in (
        RiskFactor(
            "amount_far_above_usual",
            35,
            f"The amount is more than {FAR_ABOVE_USUAL_FACTOR}x this shop's usual sale.",
        ),
        RiskFactor(
            "many_attempts",
            30,
            f"This customer tried to pay {MANY_ATTEMPTS} or more times in "
            f"{ATTEMPT_WINDOW_MINUTES} minutes.",
        ),
        RiskFactor(
            "proof_reference_reused",
            60,
            "This receipt / reference code was already used for another payment.",
        ),
        RiskFactor(
            "amount_mismatch",
            60,
            "The amount or currency paid differs from the amount asked for.",
        ),
        RiskFactor(
            "late_payment",
            50,
            "Money was reported after the till had closed this payment (cancelled/failed).",
        ),
        RiskFactor("new_customer", 10, "First payment from this customer."),
        RiskFactor(
            "unverified_channel",
            15,
            "Nobody but the cashier has seen this money yet (manual proof).",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class RiskSignals:
    """What the ledger knows about a payment, gathered by the risk service."""

    amount: Money
    provider: PaymentProvider
    usual_amount: Money | None = None  # median of recent sales; None when too few
    recent_attempts: int = 0  # by the same customer within the window, this one excluded
    proof_reference_reused: bool = False
    amount_mismatch: bool = False
    new_customer: bool = False


@dataclass(frozen=True, slots=True)
class RiskReason:
    name: str
    points: int
    explanation: str


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    score: int
    reasons: tuple[RiskReason, ...] = field(default_factory=tuple)

    def above(self, threshold: int) -> bool:
        return self.score >= threshold


def assess(signals: RiskSignals) -> RiskAssessment:
    """Score 0-100: the capped sum of the weights of the factors that apply."""
    hits: list[str] = []
    usual = signals.usual_amount
    if (
        usual is not None
        and usual.currency == signals.amount.currency
        and usual.minor > 0
        and signals.amount.minor > FAR_ABOVE_USUAL_FACTOR * usual.minor
    ):
        hits.append("amount_far_above_usual")
    if signals.recent_attempts >= MANY_ATTEMPTS:
        hits.append("many_attempts")
    if signals.proof_reference_reused:
        hits.append("proof_reference_reused")
    if signals.amount_mismatch:
        hits.append("amount_mismatch")
    if signals.new_customer:
        hits.append("new_customer")
    if signals.provider is PaymentProvider.MANUAL:
        hits.append("unverified_channel")
    reasons = tuple(RiskReason(n, FACTORS[n].weight, FACTORS[n].explanation) for n in hits)
    return RiskAssessment(min(100, sum(r.points for r in reasons)), reasons)


def single(name: str) -> RiskAssessment:
    """An assessment of one named factor (for outcomes found outside assess())."""
    factor = FACTORS[name]
    return RiskAssessment(factor.weight, (RiskReason(name, factor.weight, factor.explanation),))
