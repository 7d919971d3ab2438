"""A stand-in for KRA's OSCU API (direct flavour, under /etims-api): device initialisation,
code lists, item classes, items, signing sales and credit notes, and the invoice lookup.

It answers like the direct API (HTTP 200, `{resultCd, resultMsg, resultDt, data}`) and checks
what KRA is reported to check (ETIMS.md §5): the headers of an initialised device, invcNo
strictly next in the device's sequence (an invoice it already holds answers 994), the per-line
VAT split and the band sums, every band's rate against its own code list, and a credit note's
original invoice and reason. Signatures are deterministic fakes, so tests can predict them.

Scripted outcomes (sync.sandbox.scripts), matched on trdInvcNo and totAmt in cents:
"success" signs; "etims_duplicate" signs and answers 994 as if an earlier attempt had got
through; "etims_refused" (or any other result code) refuses without using the number;
"etims_slow" (or any delay_s) signs at once and answers only after the delay, which is
what a lost reply looks like to the till.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sync.providers.wire import NAIROBI
from sync.sandbox.state import SandboxState, now

router = APIRouter(prefix="/etims-api")

BANDS: Final = ("A", "B", "C", "D", "E")
DEFAULT_RATES: Final = {"A": 0, "B": 16, "C": 0, "D": 0, "E": 8}
# Reference data "changes" at these moments: a pull since then answers 001 (nothing new).
CODES_UPDATED: Final = "20260101000000"
REFUND_REASONS: Final = tuple(f"{n:02d}" for n in range(1, 14))
_TIN = re.compile(r"^[A-Z][0-9]{9}[A-Z]$")
_CENTS = Decimal("0.01")
# The header fields the lookup repeats (amounts are checked, not echoed).
_ECHOED: Final = ("trdInvcNo", "invcNo", "orgInvcNo", "rcptTyCd", "salesDt", "custTin", "custNm")


@dataclass
class Device:
    tin: str
    bhf_id: str
    serial: str
    cmc_key: str
    sdc_id: str
    mrc_no: str
    dvc_id: str
    last_invoice: int = 0
    total_receipts: int = 0
    receipts_by_type: dict[str, int] = field(default_factory=dict)


@dataclass
class SignedInvoice:
    body: dict[str, Any]
    data: dict[str, Any]  # the signature as the reply gave it
    signed_at: datetime


@dataclass
class EtimsWorld:
    """Every device, item and signed invoice the sandbox holds, per (PIN, branch)."""

    rates: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RATES))
    devices: dict[tuple[str, str], Device] = field(default_factory=dict)
    items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    invoices: dict[tuple[str, str, int], SignedInvoice] = field(default_factory=dict)

    def signed(self, tin: str, bhf_id: str) -> list[SignedInvoice]:
        return [v for (t, b, _), v in sorted(self.invoices.items()) if (t, b) == (tin, bhf_id)]

    def reinstall(self, tin: str, bhf_id: str, serial: str, last_invoice: int) -> Device:
        """A device initialised with an earlier run of the sandbox (demo mode's relay keeps
        it): known again with the same key, its invoice sequence where that run left it."""
        device = _new_device(tin, bhf_id, serial)
        device.last_invoice = last_invoice
        self.devices[(tin, bhf_id)] = device
        return device


def _new_device(tin: str, bhf_id: str, serial: str) -> Device:
    """What KRA gives a device, deterministic in (PIN, branch, serial)."""
    return Device(
        tin=tin,
        bhf_id=bhf_id,
        serial=serial,
        cmc_key=hashlib.sha256(f"cmc|{tin}|{bhf_id}|{serial}".encode()).hexdigest()[:32],
        sdc_id="KRACU01" + _digits("sdc", 8, tin, bhf_id, serial).zfill(8),
        mrc_no="WIS01" + _digits("mrc", 6, tin, bhf_id, serial).zfill(6),
        dvc_id=_digits("dvc", 16, tin, bhf_id, serial).zfill(16),
    )


def _world(request: Request) -> EtimsWorld:
    world: EtimsWorld = request.app.state.etims
    return world


def _sandbox(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _stamp(moment: datetime | None = None) -> str:
    return (moment or now()).astimezone(NAIROBI).strftime("%Y%m%d%H%M%S")


def _answer(code: str, message: str, data: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse(
        {"resultCd": code, "resultMsg": message, "resultDt": _stamp(), "data": data}
    )


def _refuse(message: str, code: str = "910") -> JSONResponse:
    return _answer(code, message)


def _fake(kind: str, length: int, *parts: object) -> str:
    """A deterministic code of A-Z and 2-7 derived from `parts` (what KRA's would look like)."""
    digest = hashlib.sha256("|".join([kind, *map(str, parts)]).encode()).digest()
    return base64.b32encode(digest).decode()[:length]


def _digits(kind: str, length: int, *parts: object) -> str:
    digest = hashlib.sha256("|".join([kind, *map(str, parts)]).encode()).hexdigest()
    return str(int(digest, 16))[:length]


async def _body(request: Request) -> dict[str, Any] | None:
    try:
        value = json.loads(await request.body(), parse_float=Decimal)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _device(request: Request) -> Device | JSONResponse:
    tin, bhf_id = request.headers.get("tin"), request.headers.get("bhfid")
    key = request.headers.get("cmckey")
    if not tin or not bhf_id or not key:
        return _refuse("Header information is missing", "900")
    device = _world(request).devices.get((tin, bhf_id))
    if device is None or device.cmc_key != key:
        return _refuse("It is not valid device", "901")
    return device


# ---------------------------------------------------------------------------------- set-up


@router.post("/selectInitOsdcInfo")
async def initialise(request: Request) -> JSONResponse:
    body = await _body(request)
    if body is None:
        return _refuse("Request body is missing", "911")
    tin, bhf_id, serial = body.get("tin"), body.get("bhfId"), body.get("dvcSrlNo")
    if not isinstance(tin, str) or not _TIN.match(tin) or not isinstance(serial, str) or not serial:
        return _refuse("Request parameter error: tin, dvcSrlNo")
    if not isinstance(bhf_id, str) or not re.fullmatch(r"[0-9]{2}", bhf_id):
        return _refuse("Request parameter error: bhfId")
    world = _world(request)
    if (tin, bhf_id) in world.devices:
        return _refuse("This device is installed", "902")  # and no key: KRA gives it once
    device = _new_device(tin, bhf_id, serial)
    world.devices[(tin, bhf_id)] = device
    info = {
        "tin": tin,
        "taxprNm": "SANDBOX TRADERS LIMITED",
        "bsnsActv": "Retail",
        "bhfId": bhf_id,
        "bhfNm": "Headquarter" if bhf_id == "00" else f"Branch {bhf_id}",
        "bhfOpenDt": "20240301",
        "prvncNm": "NAIROBI CITY",
        "dstrtNm": "WESTLANDS",
        "sctrNm": "PARKLANDS",
        "locDesc": "Sandbox Plaza",
        "hqYn": "Y" if bhf_id == "00" else "N",
        "mgrNm": "Branch Manager",
        "mgrTelNo": "0700000000",
        "mgrEmail": "manager@example.co.ke",
        "dvcId": device.dvc_id,
        "sdcId": device.sdc_id,
        "mrcNo": device.mrc_no,
        "cmcKey": device.cmc_key,
    }
    return _answer("000", "It is succeeded", {"info": info})


def _detail(cd: str, name: str, order: int, rate: str | None = None) -> dict[str, Any]:
    return {
        "cd": cd,
        "cdNm": name,
        "cdDesc": name,
        "useYn": "Y",
        "srtOrd": order,
        "userDfnCd1": rate,
        "userDfnCd2": None,
        "userDfnCd3": None,
    }


def _code_class(cls: str, name: str, details: list[dict[str, Any]]) -> dict[str, Any]:
    return {"cdCls": cls, "cdClsNm": name, "cdClsDesc": None, "useYn": "Y", "dtlList": details}


def _since(body: dict[str, Any] | None) -> str | None:
    since = body.get("lastReqDt") if body else None
    return since if isinstance(since, str) and re.fullmatch(r"[0-9]{14}", since) else None


@router.post("/selectCodeList")
async def code_list(request: Request) -> JSONResponse:
    if isinstance(device := _device(request), JSONResponse):
        return device
    since = _since(await _body(request))
    if since is None:
        return _refuse("Request parameter error: lastReqDt")
    if since >= CODES_UPDATED:
        return _answer("001", "There is no search result")
    rates = _world(request).rates
    names = {"A": "A-Exempt", "B": "B-VAT", "C": "C-Zero Rated", "D": "D-Non VAT", "E": "E-VAT"}
    taxes = [_detail(b, names[b], n, str(rates[b])) for n, b in enumerate(BANDS, start=1)]
    payments = ["CASH", "CREDIT", "CASH/CREDIT", "BANK CHECK", "DEBIT&CREDIT CARD"]
    payments += ["MOBILE MONEY", "OTHER"]
    classes = [
        _code_class("04", "Taxation Type", taxes),
        _code_class(
            "07", "Payment Type", [_detail(f"{n:02d}", p, n) for n, p in enumerate(payments, 1)]
        ),
        _code_class(
            "32", "Refund Reason", [_detail(r, f"Reason {r}", int(r)) for r in REFUND_REASONS]
        ),
        _code_class(
            "37", "Sales Receipt Type", [_detail("S", "Invoice", 1), _detail("R", "Credit Note", 2)]
        ),
    ]
    return _answer("000", "It is succeeded", {"clsList": classes})


@router.post("/selectItemClsList")
async def item_classes(request: Request) -> JSONResponse:
    if isinstance(device := _device(request), JSONResponse):
        return device
    since = _since(await _body(request))
    if since is None:
        return _refuse("Request parameter error: lastReqDt")
    if since >= CODES_UPDATED:
        return _answer("001", "There is no search result")
    classes = [
        {
            "itemClsCd": f"50000000{n:02d}",
            "itemClsNm": f"Sandbox class {n}",
            "itemClsLvl": 4,
            "taxTyCd": None,
            "mjrTgYn": "N",
            "useYn": "Y",
        }
        for n in range(10)
    ]
    return _answer("000", "It is succeeded", {"itemClsList": classes})


@router.post("/saveItem")
async def save_item(request: Request) -> JSONResponse:
    if isinstance(device := _device(request), JSONResponse):
        return device
    body = await _body(request)
    if body is None:
        return _refuse("Request body is missing", "911")
    code, unit = body.get("itemCd"), body.get("qtyUnitCd")
    if not isinstance(code, str) or not code or not body.get("itemNm"):
        return _refuse("Request parameter error: itemCd, itemNm")
    if body.get("taxTyCd") not in BANDS:
        return _refuse("Request parameter error: taxTyCd")
    # gateway rule (§4): the code's unit segment (chars 6-7) is the quantity unit
    if not isinstance(unit, str) or code[5:7] != unit:
        return _refuse("The ItemCd isn't made up of correct QtyUnitCd")
    _world(request).items[(device.tin, code)] = body
    return _answer("000", "It is succeeded")


# ---------------------------------------------------------------------------------- sales


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    amount = Decimal(value)
    return amount if amount.is_finite() and amount == amount.quantize(_CENTS) else None


def _arithmetic_error(body: dict[str, Any], rates: dict[str, int]) -> str | None:
    """What the gateway says of a body whose amounts do not follow its rules (§5.4)."""
    lines = body.get("itemList")
    if not isinstance(lines, list) or not lines or not all(isinstance(x, dict) for x in lines):
        return "Request parameter error: itemList"
    if body.get("totItemCnt") != len(lines):
        return "Invalid totItemCnt"
    bands = {b: [Decimal(0), Decimal(0)] for b in BANDS}
    total = Decimal(0)
    for n, line in enumerate(lines, start=1):
        band = line.get("taxTyCd")
        taxable, tax, gross = (_amount(line.get(k)) for k in ("taxblAmt", "taxAmt", "totAmt"))
        if band not in BANDS or taxable is None or tax is None or gross is None:
            return f"Request parameter error: itemList {n}"
        if not line.get("itemNm") or not (_amount(line.get("qty")) or 0) > 0:
            return f"Invalid itemNm or qty for ItemList {n}"
        expected = (gross * 100 / (100 + rates[band])).quantize(_CENTS, ROUND_HALF_UP)
        if taxable != expected:
            return f"Invalid taxblAmt on item: {n}. Expected: {expected}, But Found: {taxable}"
        if taxable + tax != gross:
            return f"Invalid taxAmt on item: {n}. Expected: {gross - taxable}, But Found: {tax}"
        bands[band][0] += taxable
        bands[band][1] += tax
        total += gross
    for band, (taxable, tax) in bands.items():
        rate = _amount(body.get(f"taxRt{band}"))
        if rate != rates[band]:
            return f"Rule taxRt{band} failed: Tax rate mismatch. Expected: {rates[band]:.2f}"
        if (
            _amount(body.get(f"taxblAmt{band}")) != taxable
            or _amount(body.get(f"taxAmt{band}")) != tax
        ):
            return f"Invalid taxblAmt{band} or taxAmt{band}"
    if _amount(body.get("totAmt")) != total:
        return f"Invalid totAmt. Expected: {total}"
    if _amount(body.get("totTaxblAmt")) != sum(
        (v[0] for v in bands.values()), Decimal(0)
    ) or _amount(body.get("totTaxAmt")) != sum((v[1] for v in bands.values()), Decimal(0)):
        return "Invalid totTaxblAmt or totTaxAmt"
    return None


def _credit_error(body: dict[str, Any], world: EtimsWorld, device: Device) -> str | None:
    if body.get("rcptTyCd") != "R":
        return None if body.get("orgInvcNo") == 0 else "orgInvcNo must be 0 for a sale"
    original = world.invoices.get((device.tin, device.bhf_id, body.get("orgInvcNo") or 0))
    if original is None or original.body.get("rcptTyCd") != "S":
        return "orgInvcNo does not exist"
    if not body.get("rfdDt"):
        return "Missing RfdDt Date"
    if body.get("rfdRsnCd") not in REFUND_REASONS:
        return "Invalid RfdRsnCd"
    if body.get("custTin") != original.body.get("custTin"):
        return "Customer PIN must match the original invoice"
    return None


def _sign(world: EtimsWorld, device: Device, body: dict[str, Any]) -> SignedInvoice:
    receipt_type = str(body["rcptTyCd"])
    device.last_invoice = int(body["invcNo"])
    device.total_receipts += 1
    device.receipts_by_type[receipt_type] = device.receipts_by_type.get(receipt_type, 0) + 1
    moment = now()
    parts = (device.tin, device.bhf_id, body["invcNo"], body.get("trdInvcNo"), body["totAmt"])
    data = {
        "curRcptNo": device.receipts_by_type[receipt_type],
        "totRcptNo": device.total_receipts,
        "intrlData": _fake("intrl", 26, *parts),
        "rcptSign": _fake("sign", 16, *parts),
        "sdcDateTime": _stamp(moment),
    }
    signed = SignedInvoice(body, data, moment)
    world.invoices[(device.tin, device.bhf_id, int(body["invcNo"]))] = signed
    return signed


@router.post("/saveTrnsSalesOsdc")
async def save_sale(request: Request) -> JSONResponse:
    if isinstance(device := _device(request), JSONResponse):
        return device
    body = await _body(request)
    if body is None:
        return _refuse("Request body is missing", "911")
    number, trader = body.get("invcNo"), body.get("trdInvcNo")
    if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
        return _refuse("Request parameter error: invcNo")
    if not isinstance(trader, str) or not trader or body.get("rcptTyCd") not in ("S", "R"):
        return _refuse("Request parameter error: trdInvcNo, rcptTyCd")
    world = _world(request)
    held = world.invoices.get((device.tin, device.bhf_id, number))
    if held is not None:
        return _refuse("Overlapped data", "994")
    expected = device.last_invoice + 1
    if number != expected:
        return _refuse(f"Invalid invcNo sequence, expected: {expected} but found: {number}")
    problem = _arithmetic_error(body, world.rates) or _credit_error(body, world, device)
    if problem is not None:
        return _refuse(problem)
    total = _amount(body.get("totAmt")) or Decimal(0)
    scripted = _sandbox(request).script.explicit(None, int(total * 100), trader)
    if scripted is not None and scripted.result_code not in ("0", "000", "994"):
        return _refuse(f"Scripted refusal {scripted.result_code}", scripted.result_code)
    signed = _sign(world, device, body)
    if scripted is not None and scripted.delay_s:
        await asyncio.sleep(scripted.delay_s)  # signed already: the reply is what is late
    if scripted is not None and scripted.result_code == "994":
        return _refuse("Overlapped data", "994")
    return _answer("000", "It is succeeded", signed.data)


@router.post("/selectInvoiceDetails")
async def invoice_details(request: Request) -> JSONResponse:
    if isinstance(device := _device(request), JSONResponse):
        return device
    body = await _body(request)
    number = body.get("invcNo") if body else None
    if isinstance(number, bool) or not isinstance(number, int):
        return _refuse("Request parameter error: invcNo")
    signed = _world(request).invoices.get((device.tin, device.bhf_id, number))
    if signed is None:
        return _answer("001", "There is no search result")
    receipt = {
        **signed.data,
        # the lookup's own time format, as one integrator saw it (ETIMS.md §1.3)
        "sdcDateTime": signed.signed_at.astimezone(NAIROBI).strftime("%Y-%m-%d %H:%M:%S.0"),
    }
    sale = {k: signed.body.get(k) for k in _ECHOED}
    sale["totAmt"] = float(_amount(signed.body.get("totAmt")) or 0)
    return _answer("000", "It is succeeded", {"salesList": [{**sale, "receipt": receipt}]})
