"""Phone normalisation, M-Pesa SMS reading and per-provider test mode."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from provider_samples import SAMPLES

from sync.providers.mpesa_sms import SmsNotRecognised, parse_mpesa_sms
from sync.providers.phones import InvalidPhone, mask_msisdn, normalise_msisdn
from sync.providers.testmode import TEST_INSTRUCTIONS, key_matches_mode, key_mode


@pytest.mark.parametrize(
    ("text", "msisdn"),
    [
        ("0712345678", "254712345678"),
        ("0712 345 678", "254712345678"),
        ("0712-345-678", "254712345678"),
        ("+254712345678", "254712345678"),
        ("+254 712 345 678", "254712345678"),
        ("254712345678", "254712345678"),
        ("0110123456", "254110123456"),
        ("+254 110 123456", "254110123456"),
        ("254708374149", "254708374149"),
        ("+254 710 000 000", "254710000000"),
    ],
)
def test_kenyan_mobile_forms(text: str, msisdn: str) -> None:
    assert normalise_msisdn(text) == msisdn


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "0201234567",
        "07123",
        "+2348031234567",
        "hello",
        "0712345678901234",
        "+254 20 1234567",
        "1" * 60,
    ],
)
def test_not_kenyan_mobiles(text: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalise_msisdn(text)
    assert str(caught.value).startswith("That is not a Kenyan mobile number")


def test_a_refusal_never_repeats_what_was_typed() -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalise_msisdn("020 123 4567")
    assert "123" not in str(caught.value) and "4567" not in str(caught.value)


def test_other_regions() -> None:
    assert normalise_msisdn("08031234567", region="NG") == "2348031234567"
    with pytest.raises(InvalidPhone, match="Nigerian"):
        normalise_msisdn("0712345678", region="NG")


def test_mask() -> None:
    assert mask_msisdn("254712345678") == "2547*****678"
    assert "345" not in mask_msisdn("254712345678")


def _published_sms() -> list[str]:
    lines = (SAMPLES / "sms_examples.txt").read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_three_published_forms() -> None:
    sent, paid, received = (parse_mpesa_sms(line) for line in _published_sms())
    assert sent.receipt == "UJ22T8IYOU" and sent.direction == "sent"
    assert sent.amount_minor == 100 and sent.currency == "KES"
    assert sent.counterparty == "Daraja-Sandbox" and sent.account == "nkap-live-1"
    assert sent.when == datetime(2026, 10, 2, 15, 11, tzinfo=UTC)  # 6:11 PM Nairobi
    assert paid.receipt == "TJK6H7T3GA" and paid.direction == "paid"
    assert paid.amount_minor == 7000 and paid.counterparty == "person 1" and paid.account is None
    assert paid.when == datetime(2024, 10, 20, 13, 21, tzinfo=UTC)
    assert received.receipt == "QAI1S35S7Z" and received.direction == "received"
    assert received.amount_minor == 4000
    assert received.counterparty == "2547XXXXXXXX REDACTED NAME"
    assert received.when == datetime(2022, 1, 18, 12, 57, tzinfo=UTC)  # "3:57 PMKsh40.00"


@pytest.mark.parametrize(
    ("text", "amount", "when"),
    [
        (
            "AB12CD34EF Confirmed. Ksh1,250,000.50 sent to BIG SHOP for account X1 on 1/2/24 at "
            "12:05 AM New M-PESA balance is Ksh0.00.",
            125000050,
            datetime(2024, 1, 31, 21, 5, tzinfo=UTC),
        ),
        (
            "AB12CD34EF Confirmed. KSH 2,000.00 paid to MAMA MBOGA. on 31/12/23 at 12:30 PM.",
            200000,
            datetime(2023, 12, 31, 9, 30, tzinfo=UTC),
        ),
        (
            "AB12CD34EF Confirmed. You have received Ksh300.00 from JOHN DOE 0712345678 on "
            "5/6/25 at 9:15 AM New M-PESA balance is Ksh400.00.",
            30000,
            datetime(2025, 6, 5, 6, 15, tzinfo=UTC),
        ),
        (
            "LGR7OWQX0 Confirmed. Ksh10.00 paid to OLD SHOP on 5/6/14 at 9:15 AM.",
            1000,
            datetime(2014, 6, 5, 6, 15, tzinfo=UTC),
        ),
    ],
)
def test_more_forms(text: str, amount: int, when: datetime) -> None:
    sms = parse_mpesa_sms(text)
    assert sms.amount_minor == amount and sms.when == when


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "empty"),
        ("Hello, your package is ready", "does not start like"),
        ("UJ22T8IYOU Confirmed. Your balance is Ksh9.00", "Could not find"),
        (
            "UJ22T8IYOU Confirmed. KSH1.00 sent to X for account Y on 31/2/26 at 6:11 PM",
            "real date",
        ),
        ("UJ22T8IYOU Confirmed. KSH1.00 sent to X on 3/2/26 at 13:11 PM", "clock time"),
        ("x" * 2000, "too long"),
    ],
)
def test_unrecognised_sms(text: str, hint: str) -> None:
    with pytest.raises(SmsNotRecognised, match=hint):
        parse_mpesa_sms(text)


def test_test_mode_instructions_name_the_published_test_cards_and_phones() -> None:
    def text(provider: str) -> str:
        return " ".join(TEST_INSTRUCTIONS[provider].lines)

    assert "4084 0840 8408 4081" in text("paystack")
    assert "+254 710 000 000" in text("paystack")
    assert "254708374149" in text("mpesa")
    assert "5531 8866 5214 2950" in text("flutterwave")
    assert "PIN 3310" in text("flutterwave") and "1234" in text("flutterwave")  # docs vs guide
    assert "OTP 12345" in text("flutterwave") and "09/32" in text("flutterwave")
    assert "4242 4242 4242 4242" in text("stripe")


def test_key_prefix_must_match_the_mode() -> None:
    assert key_matches_mode("paystack", "sk_test_x", True)
    assert not key_matches_mode("paystack", "sk_live_x", True)
    assert not key_matches_mode("stripe", "sk_test_x", False)
    assert key_matches_mode("flutterwave", "FLWSECK_TEST-abc", True)
    assert not key_matches_mode("flutterwave", "FLWSECK_TEST-abc", False)
    assert key_matches_mode("mpesa", "anything", False)
    assert key_matches_mode("stripe", "rk_live_x", False)
    assert not key_matches_mode("stripe", "rk_test_x", False)
    assert not key_matches_mode("flutterwave", "FLWSECK-abc", True)
    assert key_mode("flutterwave", "FLWSECK-abc") is False
    assert key_mode("stripe", "sk_test_x") is True
    assert key_mode("stripe", "pk_test_x") is None and key_mode("mpesa", "x") is None
