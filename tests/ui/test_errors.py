"""ui.errors.error_message: what a person reads when a service refuses."""

from __future__ import annotations

from pos_app.core.errors import InvalidInput, InvalidMoneyText
from pos_app.ui.application import Translations
from pos_app.ui.errors import error_message


def test_known_refusals_translated_others_as_the_service_said_and_never_internals(qapp):
    translations = Translations(qapp)
    translations.use("sw")
    try:
        assert error_message(InvalidMoneyText("'abc' is not an amount.")) == (
            "Hicho si kiasi. Andika tarakimu, k.m. 1,250.50."
        )
        # a refusal with no translation of its own keeps the service's (safe) message
        assert error_message(InvalidInput("Type a reference.")) == "Type a reference."
        # anything else is a bug or a crash: its text may hold internals, never shown
        assert error_message(KeyError("sqlite:///secret/path")) == (
            "Hitilafu imetokea; hakuna kilichobadilishwa. Jaribu tena."
        )
    finally:
        translations.use("en")
    assert error_message(InvalidMoneyText("x")) == (
        "That is not an amount. Type digits, e.g. 1,250.50."
    )
