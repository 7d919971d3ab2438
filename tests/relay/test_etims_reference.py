"""KRA's code lists and item classes fetched and cached by the real relay's background job, over
real HTTP, KRA mocked with respx, on SQLite and PostgreSQL: the first fetch stores both lists
from lastReqDt 20180101000000; the next day's fetch sends the stored lastReqDt and a "001"
changes nothing; a changed code is updated, not added twice; a KRA outage keeps the cache and
lastReqDt, is tried again, and holds up no invoice. The owner's console shows the lists."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import select, update

from sync.providers.etims import FIRST_PULL
from sync.relay.store import schema as t
from sync.relay.store.etims_reference import EtimsReference, ReferenceList
from sync.relay.store.store import utcnow
from tests.providers.etims_cases import ETIMS_SAMPLES
from tests.relay.conftest import Relay
from tests.relay.console_helpers import csrf_of, make_owner, sign_in
from tests.relay.test_etims_console import shown
from tests.relay.test_etims_item_registration import KRA, KraShop, wait_for

CODES_SAMPLE = json.loads((ETIMS_SAMPLES / "code_list_response_excerpt.json").read_text())
CODES_SINCE = CODES_SAMPLE["resultDt"]  # 20260112091610
SAMPLE_CODES = sum(len(c["dtlList"]) for c in CODES_SAMPLE["data"]["clsList"])
CLASSES_SINCE = "20260112091700"
NOTHING_NEW = {"resultCd": "001", "resultMsg": "There is no search result", "data": None}


def item_classes(*rows: tuple[str, str, str | None], since: str = CLASSES_SINCE) -> dict[str, Any]:
    listed = [
        {"itemClsCd": code, "itemClsNm": name, "itemClsLvl": 4, "taxTyCd": tax, "useYn": "Y"}
        for code, name, tax in rows
    ]
    return {"resultCd": "000", "resultMsg": "Successful", "resultDt": since,
            "data": {"itemClsList": listed}}  # fmt: skip


FIRST_CLASSES = item_classes(
    ("5000000000", "Drinking water", "B"), ("5020230100", "Maize flour", "A"),
    ("5059690800", "Other goods", None),
)  # fmt: skip


class KraLists:
    """A shop with a device whose KRA answers the two list calls as each test scripts."""

    def __init__(self, relay: Relay, kra: respx.MockRouter) -> None:
        self.codes = kra.post(f"{KRA}/selectCodeList")
        self.codes.respond(200, json=CODES_SAMPLE)
        self.classes = kra.post(f"{KRA}/selectItemClsList")
        self.classes.respond(200, json=FIRST_CLASSES)
        self.shop = KraShop(relay, kra)  # sets the device up: the job's next round fetches
        self.relay = relay
        self.books = EtimsReference(relay.store)

    def sent_since(self, route: respx.Route) -> list[str]:
        return [json.loads(call.request.content)["lastReqDt"] for call in route.calls]

    def fetched(self) -> None:
        """Both lists fetched at least once since the last `a_day_passes`."""
        wait_for(lambda: all(s.fetched_at is not None for s in self.states().values()))

    def states(self) -> Any:
        return self.books.states(self.shop.shop_id)

    def codes_stored(self) -> dict[tuple[str, str], tuple[str | None, str | None]]:
        codes = t.etims_codes
        with self.relay.store.read() as conn:
            rows = conn.execute(select(codes).where(codes.c.shop_id == self.shop.shop_id)).all()
        return {(r.cd_cls, r.cd): (r.cd_nm, r.user_dfn_cd1) for r in rows}

    def a_day_passes(self) -> None:
        """Age the last fetch by a day and a minute, as the next day's round finds it."""
        pulls = t.etims_reference_pulls
        with self.relay.store.write() as conn:
            conn.execute(
                update(pulls)
                .where(pulls.c.shop_id == self.shop.shop_id)
                .values(fetched_at=utcnow() - timedelta(days=1, minutes=1))
            )


@pytest.fixture
def kra_lists(relay_factory: Callable[..., Relay]) -> Iterator[KraLists]:
    relay = relay_factory(public_base_url="self", etims_retry_s=0.2, etims_timeout_s=5.0)
    with respx.mock(assert_all_called=False) as kra:
        kra.route(host="127.0.0.1").pass_through()
        yield KraLists(relay, kra)


def test_the_first_fetch_stores_both_lists_and_the_console_shows_them(
    kra_lists: KraLists,
) -> None:
    kra_lists.fetched()
    assert kra_lists.sent_since(kra_lists.codes) == [FIRST_PULL]
    assert kra_lists.sent_since(kra_lists.classes) == [FIRST_PULL]
    request = kra_lists.codes.calls[0].request
    assert (request.headers["tin"], request.headers["bhfId"]) == ("P051234567X", "00")
    codes = kra_lists.codes_stored()
    assert len(codes) == SAMPLE_CODES
    assert codes[("04", "B")] == ("B-VAT 16%", "16") and codes[("32", "13")][0] == "Other reason"
    states = kra_lists.states()
    assert states[ReferenceList.CODES].cached == SAMPLE_CODES
    assert states[ReferenceList.ITEM_CLASSES].cached == 3
    assert kra_lists.books.since(kra_lists.shop.shop_id, ReferenceList.CODES) == CODES_SINCE
    assert kra_lists.books.since(kra_lists.shop.shop_id, ReferenceList.ITEM_CLASSES) == (
        CLASSES_SINCE
    )

    relay, shop_id = kra_lists.relay, kra_lists.shop.shop_id
    client = sign_in(relay, make_owner(relay, "wanjiru@example.com", shop_id))
    page = client.get(f"/console/shops/{shop_id}/etims").text
    assert shown(page, "etims-codes-cached") == str(SAMPLE_CODES)
    assert shown(page, "etims-classes-cached") == "3"
    assert shown(page, "etims-codes-fetched") != "never"
    assert "etims-reference-failure" not in page
    back = f"/console/shops/{shop_id}/etims"
    client.post("/console/language", data={"csrf": csrf_of(page), "language": "sw", "back": back})
    assert "Madaraja ya bidhaa yaliyohifadhiwa" in client.get(back).text


def test_the_next_days_fetch_sends_the_stored_date_and_nothing_new_changes_nothing(
    kra_lists: KraLists,
) -> None:
    kra_lists.fetched()
    before = kra_lists.codes_stored()
    kra_lists.codes.respond(200, json={**NOTHING_NEW, "resultDt": "20260113080000"})
    kra_lists.classes.respond(200, json=NOTHING_NEW)  # no resultDt: keep the one held
    fetched_at = kra_lists.states()[ReferenceList.CODES].fetched_at
    assert fetched_at is not None
    kra_lists.a_day_passes()
    wait_for(lambda: kra_lists.codes.call_count == 2 and kra_lists.classes.call_count == 2)
    wait_for(lambda: _fetched_after(kra_lists, fetched_at))
    assert kra_lists.sent_since(kra_lists.codes) == [FIRST_PULL, CODES_SINCE]
    assert kra_lists.sent_since(kra_lists.classes) == [FIRST_PULL, CLASSES_SINCE]
    assert kra_lists.codes_stored() == before
    assert kra_lists.states()[ReferenceList.ITEM_CLASSES].cached == 3
    shop_id = kra_lists.shop.shop_id
    assert kra_lists.books.since(shop_id, ReferenceList.CODES) == "20260113080000"
    assert kra_lists.books.since(shop_id, ReferenceList.ITEM_CLASSES) == CLASSES_SINCE
    time.sleep(1.0)  # five more rounds: fetched today, so they leave KRA alone
    assert (kra_lists.codes.call_count, kra_lists.classes.call_count) == (2, 2)


def test_a_changed_code_is_updated_not_added_twice(kra_lists: KraLists) -> None:
    kra_lists.fetched()
    changed = {
        "resultCd": "000", "resultMsg": "Successful", "resultDt": "20260301000000",
        "data": {"clsList": [{"cdCls": "04", "cdClsNm": "Taxation Type", "dtlList": [
            {"cd": "E", "cdNm": "E-VAT 10%", "useYn": "Y", "srtOrd": 5, "userDfnCd1": "10"},
            {"cd": "F", "cdNm": "F-New band", "useYn": "Y", "srtOrd": 6, "userDfnCd1": "5"},
        ]}]},
    }  # fmt: skip
    kra_lists.codes.respond(200, json=changed)
    kra_lists.classes.respond(
        200, json=item_classes(("5020230100", "Maize flour (sifted)", "A"), since="20260301000000")
    )
    kra_lists.a_day_passes()
    wait_for(lambda: kra_lists.books.since(kra_lists.shop.shop_id, ReferenceList.CODES)
             == "20260301000000")  # fmt: skip
    wait_for(lambda: kra_lists.books.since(kra_lists.shop.shop_id, ReferenceList.ITEM_CLASSES)
             == "20260301000000")  # fmt: skip
    codes = kra_lists.codes_stored()
    assert len(codes) == SAMPLE_CODES + 1
    assert codes[("04", "E")] == ("E-VAT 10%", "10") and codes[("04", "F")] == ("F-New band", "5")
    assert codes[("04", "B")] == ("B-VAT 16%", "16")  # untouched
    classes = t.etims_item_classes
    with kra_lists.relay.store.read() as conn:
        names = dict(
            conn.execute(
                select(classes.c.item_cls_cd, classes.c.item_cls_nm).where(
                    classes.c.shop_id == kra_lists.shop.shop_id
                )
            ).all()
        )
    assert len(names) == 3 and names["5020230100"] == "Maize flour (sifted)"


def test_a_kra_outage_keeps_the_cache_is_retried_and_holds_up_no_invoice(
    kra_lists: KraLists,
) -> None:
    kra_lists.fetched()
    before = kra_lists.codes_stored()
    kra_lists.codes.mock(side_effect=httpx.ConnectError("KRA is down"))
    kra_lists.classes.respond(503)
    kra_lists.a_day_passes()
    wait_for(lambda: kra_lists.states()[ReferenceList.CODES].failure is not None, 20)
    wait_for(lambda: kra_lists.states()[ReferenceList.ITEM_CLASSES].failure is not None, 20)
    states = kra_lists.states()
    assert states[ReferenceList.CODES].failure == "etims_unreachable"
    assert states[ReferenceList.ITEM_CLASSES].failure == "etims_unavailable"
    assert kra_lists.codes_stored() == before and states[ReferenceList.ITEM_CLASSES].cached == 3
    shop_id = kra_lists.shop.shop_id
    assert kra_lists.books.since(shop_id, ReferenceList.CODES) == CODES_SINCE
    # the lists failing do not hold up a sale
    assert kra_lists.shop.sign("TILL1-000001")["type"] == "etims.signed"

    tried = kra_lists.codes.call_count
    kra_lists.codes.mock(side_effect=None)
    kra_lists.codes.respond(200, json={**NOTHING_NEW, "resultDt": "20260114000000"})
    kra_lists.classes.respond(200, json=NOTHING_NEW)
    wait_for(lambda: all(s.failure is None for s in kra_lists.states().values()), 20)
    assert kra_lists.codes.call_count > tried
    assert kra_lists.sent_since(kra_lists.codes)[-1] == CODES_SINCE
    assert kra_lists.books.since(shop_id, ReferenceList.CODES) == "20260114000000"
    assert kra_lists.codes_stored() == before


def test_a_list_that_fails_alone_is_retried_alone(kra_lists: KraLists) -> None:
    kra_lists.fetched()
    kra_lists.codes.respond(200, json=NOTHING_NEW)
    kra_lists.classes.respond(200, json={"resultCd": "910", "resultMsg": "Try again later"})
    kra_lists.a_day_passes()
    wait_for(lambda: kra_lists.classes.call_count >= 4, 20)  # tried again and again
    assert kra_lists.states()[ReferenceList.ITEM_CLASSES].failure == "etims_refused"
    assert kra_lists.states()[ReferenceList.CODES].failure is None
    assert kra_lists.codes.call_count == 2  # fetched once today, not with every retry


def _fetched_after(kra_lists: KraLists, at: Any) -> bool:
    return all(s.fetched_at is not None and s.fetched_at > at for s in kra_lists.states().values())
