"""KRA eTIMS through OSCU (the KRA-hosted signing service): device initialisation, code lists,
item registration, signing sales and credit notes, and finding an invoice after a lost reply.

All that is known of eTIMS lives here; see docs/etims.md. Facts that shape the code (reference
ETIMS.md, section numbers in the comments):
- every call is a POST of JSON; after initialisation `tin`, `bhfId` and `cmcKey` travel as
  headers (§1.2); replies are `{resultCd, resultMsg, resultDt, data}`, or the same wrapped in
  the gateway's `responseBody` (§1.1); business errors come in the body, not the HTTP status;
- `invcNo` is KRA's gap-free sequence: a number must never be signed twice nor skipped, so a
  sale whose reply was lost is looked up (`selectInvoiceDetails`) before it is ever sent again
  (§5.5, §8), and nothing here resends a sale on its own;
- initialisation hands out the communication key once: a second call answers 902 and no key
  (§2), so it is never retried.
This module imports nothing of the till: the relay uses it. The body builder from a priced
sale is sync.providers.etims_sale.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, TypeVar

import httpx
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from sync.providers.base import ProviderError, ProviderPayloadError
from sync.providers.http import ProviderHttp, overloaded, unreachable
from sync.providers.wire import NAIROBI, load_json_object, nothing_was_sent

log = logging.getLogger(__name__)

SANDBOX_BASE_URL: Final = "https://etims-api-sbx.kra.go.ke/etims-api"
PRODUCTION_BASE_URL: Final = "https://etims-api.kra.go.ke/etims-api"
# Where KRA's QR link resolves a signed receipt (§9).
SANDBOX_RECEIPT_HOST: Final = "https://etims-sbx.kra.go.ke"
PRODUCTION_RECEIPT_HOST: Final = "https://etims.kra.go.ke"
RECEIPT_PATH: Final = "/common/link/etims/receipt/indexEtimsReceiptData"
# The first incremental pull asks for everything since long ago (§3.3).
FIRST_PULL: Final = "20180101000000"

SUCCESS: Final = "000"
NO_DATA: Final = "001"
DEVICE_INSTALLED: Final = "902"
INVALID_DEVICE: Final = "901"
DUPLICATE: Final = "994"
# Our refusal code when KRA holds the invcNo for another receipt (found by the lookup).
INVOICE_NUMBER_TAKEN: Final = "invoice_number_taken"
# Answers after which asking again later can help (§8): throttled, the SCU library's own
# communication failures, and "unknown error".
TRANSIENT_CODES: Final = frozenset({"990", "891", "892", "893", "894", "895", "896", "899", "999"})
# ...and of those, the ones that may have come after KRA stored the invoice.
IN_DOUBT_CODES: Final = frozenset({"894", "896", "899", "999"})

TIN_PATTERN: Final = re.compile(r"^[A-Z][0-9]{9}[A-Z]$")
BRANCH_PATTERN: Final = re.compile(r"^[0-9]{2}$")
# "Invalid invcNo sequence, expected: 7 but found: 5" / "... use the expected value: 7" (§5.5)
_EXPECTED_NUMBER = re.compile(r"expected(?:\s+value)?\s*:?\s*([0-9]{1,12})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EtimsPaths:
    """Path names differ between the direct OSCU API and the GavaConnect gateway (§1.1)."""

    initialise: str
    code_list: str
    item_classes: str
    save_item: str
    save_sale: str
    invoice_details: str


DIRECT_PATHS: Final = EtimsPaths(
    initialise="/selectInitOsdcInfo",
    code_list="/selectCodeList",
    item_classes="/selectItemClsList",
    save_item="/saveItem",
    save_sale="/saveTrnsSalesOsdc",
    invoice_details="/selectInvoiceDetails",
)
GATEWAY_PATHS: Final = EtimsPaths(
    initialise="/initialize",
    code_list="/selectCodeList",
    item_classes="/selectItemClass",
    save_item="/saveItem",
    save_sale="/sendSalesTransaction",
    invoice_details="/selectInvoiceDetail",
)


@dataclass(frozen=True)
class EtimsConfig:
    """One OSCU device: the shop's KRA PIN, KRA's branch id and, once initialised, the
    communication key and control-unit id KRA gave it (persist them: no second key, §2)."""

    tin: str
    bhf_id: str = "00"
    base_url: str = SANDBOX_BASE_URL
    receipt_host: str = SANDBOX_RECEIPT_HOST
    cmc_key: str | None = field(default=None, repr=False)
    control_unit_id: str | None = None  # sdcId, printed as "SCU ID"
    paths: EtimsPaths = DIRECT_PATHS
    # Odoo's values: init is quick, the rest waits for a congested eTIMS (§1.2).
    timeout_s: float = 120.0
    init_timeout_s: float = 30.0
    retry_backoff_s: float = 0.5

    def __post_init__(self) -> None:
        if not TIN_PATTERN.match(self.tin):
            raise ValueError("A KRA PIN is a letter, nine digits and a letter (P051234567X).")
        if not BRANCH_PATTERN.match(self.bhf_id):
            raise ValueError("A KRA branch id is two digits; 00 is the head office.")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        object.__setattr__(self, "receipt_host", self.receipt_host.rstrip("/"))

    def with_device(self, device: DeviceInfo) -> EtimsConfig:
        return replace(self, cmc_key=device.cmc_key, control_unit_id=device.sdc_id)


# ---------------------------------------------------------------------------------- bodies


def _json_number(value: Decimal) -> int | float:
    # KRA wants JSON numbers with two decimals (§1.3). Below 10**13 (the field limit here) a
    # two-decimal value survives float's shortest repr exactly, so "129.31" goes out as 129.31.
    return int(value) if value == value.to_integral_value() else float(value)


Amount = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2),
    PlainSerializer(_json_number, return_type=int | float, when_used="json"),
]
Rate = Annotated[
    Decimal,
    Field(ge=0, max_digits=7, decimal_places=2),
    PlainSerializer(_json_number, return_type=int | float, when_used="json"),
]
YesNo = Literal["Y", "N"]
Stamp = Annotated[str, Field(pattern=r"^[0-9]{14}$")]  # yyyyMMddHHmmss, Nairobi time
Day = Annotated[str, Field(pattern=r"^[0-9]{8}$")]  # yyyyMMdd


class EtimsBody(BaseModel):
    """A request body: KRA's camelCase names on the wire, snake_case in Python."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid"
    )

    def wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class InitRequest(EtimsBody):
    tin: str
    bhf_id: str
    dvc_srl_no: str = Field(min_length=1, max_length=100)


class SinceRequest(EtimsBody):
    last_req_dt: Stamp


class InvoiceLookupRequest(EtimsBody):
    invc_no: int = Field(gt=0)


class ItemRequest(EtimsBody):
    """saveItem (§4); the same itemCd again updates the item."""

    item_cd: str = Field(min_length=1, max_length=20)
    item_cls_cd: str = Field(min_length=1, max_length=10)
    item_ty_cd: Literal["1", "2", "3"]
    item_nm: str = Field(min_length=1, max_length=200)
    item_std_nm: str | None = None
    orgn_nat_cd: str = Field(min_length=2, max_length=5)
    pkg_unit_cd: str = Field(min_length=1, max_length=5)
    qty_unit_cd: str = Field(min_length=1, max_length=5)
    tax_ty_cd: str = Field(pattern=r"^[A-E]$")
    btch_no: str | None = None
    bcd: str | None = None
    dft_prc: Amount
    grp_prc_l1: Amount | None = None
    grp_prc_l2: Amount | None = None
    grp_prc_l3: Amount | None = None
    grp_prc_l4: Amount | None = None
    grp_prc_l5: Amount | None = None
    add_info: str | None = None
    sfty_qty: Amount | None = None
    isrc_aplcb_yn: YesNo = "N"
    use_yn: YesNo = "Y"
    regr_id: str = Field(min_length=1, max_length=20)
    regr_nm: str = Field(min_length=1, max_length=60)
    modr_id: str = Field(min_length=1, max_length=20)
    modr_nm: str = Field(min_length=1, max_length=60)


ITEM_REGISTRAR_FIELDS: Final = ("regrId", "regrNm", "modrId", "modrNm")


def same_item(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Whether two saveItem bodies register the same item the same way (who registered or
    changed it is not part of what KRA knows of the item)."""
    if a is None or b is None:
        return a is b
    keep = {k: v for k, v in a.items() if k not in ITEM_REGISTRAR_FIELDS}
    return keep == {k: v for k, v in b.items() if k not in ITEM_REGISTRAR_FIELDS}


def item_of_sale_line(line: SaleItem, registrar_id: str, registrar_name: str) -> ItemRequest:
    """The saveItem body of an item an invoice names that no till registered (a product made
    before eTIMS was switched on): the line holds all KRA needs; the origin country and the
    item type are the code's first segments (KE2NT...: Kenya, 2 finished good, §4)."""
    code = line.item_cd
    return ItemRequest(
        item_cd=code,
        item_cls_cd=line.item_cls_cd,
        item_ty_cd=code[2] if code[2:3] in ("1", "2", "3") else "2",  # type: ignore[arg-type]
        item_nm=line.item_nm,
        orgn_nat_cd=code[:2],
        pkg_unit_cd=line.pkg_unit_cd,
        qty_unit_cd=line.qty_unit_cd,
        tax_ty_cd=line.tax_ty_cd,
        bcd=line.bcd,
        dft_prc=line.prc,
        regr_id=registrar_id,
        regr_nm=registrar_name,
        modr_id=registrar_id,
        modr_nm=registrar_name,
    )


class SaleItem(EtimsBody):
    item_seq: int = Field(gt=0)
    item_cd: str = Field(min_length=1, max_length=20)
    item_cls_cd: str = Field(min_length=1, max_length=10)
    item_nm: str = Field(min_length=1, max_length=200)
    bcd: str | None = None
    pkg_unit_cd: str
    pkg: Amount = Field(gt=0)
    qty_unit_cd: str
    qty: Amount = Field(gt=0)
    prc: Amount
    sply_amt: Amount
    dc_rt: Rate
    dc_amt: Amount
    isrcc_cd: str | None = None
    isrcc_nm: str | None = None
    isrc_rt: Rate | None = None
    isrc_amt: Amount | None = None
    tax_ty_cd: str = Field(pattern=r"^[A-E]$")
    taxbl_amt: Amount
    tax_amt: Amount
    tot_amt: Amount


class SaleReceipt(EtimsBody):
    """Frozen into KRA's record at signing: print exactly this (§5.2)."""

    cust_tin: str | None = None
    cust_mbl_no: str | None = None
    rcpt_pbct_dt: Stamp
    trde_nm: str | None = Field(default=None, max_length=20)
    adrs: str | None = Field(default=None, max_length=200)
    top_msg: str | None = None
    btm_msg: str | None = None
    prchr_acptc_yn: YesNo = "N"


class SaleRequest(EtimsBody):
    """saveTrnsSalesOsdc: a sale (rcptTyCd S) or a credit note (R), §5 and §6."""

    trd_invc_no: str = Field(min_length=1, max_length=50)
    invc_no: int = Field(gt=0)
    org_invc_no: int = Field(ge=0)
    cust_tin: str | None = None
    cust_nm: str | None = Field(default=None, max_length=60)
    sales_ty_cd: Literal["N", "C", "P", "T"] = "N"
    rcpt_ty_cd: Literal["S", "R"]
    pmt_ty_cd: str | None = None
    sales_stts_cd: str = "02"
    cfm_dt: Stamp
    sales_dt: Day
    stock_rls_dt: Stamp | None = None
    cncl_req_dt: Stamp | None = None
    cncl_dt: Stamp | None = None
    rfd_dt: Stamp | None = None
    rfd_rsn_cd: str | None = None
    tot_item_cnt: int
    taxbl_amt_a: Amount
    taxbl_amt_b: Amount
    taxbl_amt_c: Amount
    taxbl_amt_d: Amount
    taxbl_amt_e: Amount
    tax_rt_a: Rate
    tax_rt_b: Rate
    tax_rt_c: Rate
    tax_rt_d: Rate
    tax_rt_e: Rate
    tax_amt_a: Amount
    tax_amt_b: Amount
    tax_amt_c: Amount
    tax_amt_d: Amount
    tax_amt_e: Amount
    tot_taxbl_amt: Amount
    tot_tax_amt: Amount
    tot_amt: Amount
    prchr_acptc_yn: YesNo = "N"
    remark: str | None = Field(default=None, max_length=400)
    regr_id: str = Field(min_length=1, max_length=20)
    regr_nm: str = Field(min_length=1, max_length=60)
    modr_id: str = Field(min_length=1, max_length=20)
    modr_nm: str = Field(min_length=1, max_length=60)
    receipt: SaleReceipt
    item_list: tuple[SaleItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> SaleRequest:
        if self.tot_item_cnt != len(self.item_list):
            raise ValueError("totItemCnt must equal the number of items")
        if self.rcpt_ty_cd == "R" and (
            self.org_invc_no <= 0 or self.rfd_rsn_cd is None or self.rfd_dt is None
        ):
            raise ValueError("a credit note needs orgInvcNo, rfdRsnCd and rfdDt (§6)")
        if self.rcpt_ty_cd == "S" and self.org_invc_no != 0:
            raise ValueError("a sale has orgInvcNo 0")
        return self


# ---------------------------------------------------------------------------------- replies


def _trimmed_keys(value: Any) -> Any:
    # One reader of KRA's sample found "curRcptNo " with a trailing blank (§5.6).
    if isinstance(value, dict):
        return {str(k).strip(): _trimmed_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_trimmed_keys(v) for v in value]
    return value


def _code_text(value: Any) -> Any:
    # Codes are strings on the wire, but be lenient with a number: 0 -> "0".
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _sdc_time(value: Any) -> datetime | None:
    """sdcDateTime: "20260115143006", or "2024-04-15 15:30:39.0" from selectInvoiceDetails
    (§1.3); Nairobi time -> aware UTC. Anything else is None, not an error: the signature
    stands without it."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value).strip()
    for pattern, width in (("%Y%m%d%H%M%S", 14), ("%Y-%m-%d %H:%M:%S", 19)):
        try:
            local = datetime.strptime(text[:width], pattern)
        except ValueError:
            continue
        return local.replace(tzinfo=NAIROBI).astimezone(UTC)
    return None


Code = Annotated[str, BeforeValidator(_code_text)]
SdcTime = Annotated[datetime | None, BeforeValidator(_sdc_time)]


class EtimsReplyModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, str_strip_whitespace=True
    )


class Reply(EtimsReplyModel):
    result_cd: Code = Field(min_length=1, max_length=10)
    result_msg: str = ""
    result_dt: str | None = None
    data: dict[str, Any] | None = None

    @property
    def succeeded(self) -> bool:
        # Gateway traffic was also seen answering "0" / "0000" (§1.2, one source).
        return self.result_cd in (SUCCESS, "0", "0000")


class DeviceInfo(EtimsReplyModel):
    """data.info of initialisation: persist all of it before anything else (§2)."""

    tin: str
    bhf_id: str
    sdc_id: str = Field(min_length=1)
    mrc_no: str | None = None
    dvc_id: str | None = None
    cmc_key: str = Field(min_length=1, repr=False)
    taxpr_nm: str | None = None
    bhf_nm: str | None = None
    bsns_actv: str | None = None
    loc_desc: str | None = None


class CodeDetail(EtimsReplyModel):
    cd: Code
    cd_nm: str | None = None
    use_yn: str | None = None
    srt_ord: int | None = None
    user_dfn_cd1: str | None = None


class CodeClass(EtimsReplyModel):
    cd_cls: Code
    cd_cls_nm: str | None = None
    dtl_list: tuple[CodeDetail, ...] = ()


class ItemClass(EtimsReplyModel):
    item_cls_cd: Code
    item_cls_nm: str | None = None
    item_cls_lvl: int | None = None
    tax_ty_cd: str | None = None
    use_yn: str | None = None


class SignatureData(EtimsReplyModel):
    """data of a signed sale, or salesList[0].receipt of an invoice lookup (§5.6, §8)."""

    cur_rcpt_no: int | None = None
    tot_rcpt_no: int | None = None
    intrl_data: str = Field(min_length=1)
    rcpt_sign: str = Field(min_length=1)
    sdc_date_time: SdcTime = None


class EtimsPayloadError(ProviderPayloadError):
    """An eTIMS reply we cannot read. The message never repeats the body (it may hold keys)."""

    def __init__(self, detail: str) -> None:
        ProviderError.__init__(
            self,
            "etims_payload_invalid",
            "KRA eTIMS sent a reply we could not read.",
            detail=detail,
        )


def parse_reply(raw: bytes | str | Mapping[str, Any]) -> Reply:
    """The envelope of any eTIMS reply, direct or gateway-wrapped; EtimsPayloadError else."""
    try:
        body = _trimmed_keys(load_json_object(raw, "eTIMS reply"))
    except ProviderPayloadError as exc:
        raise EtimsPayloadError(exc.detail or "eTIMS reply unreadable") from None
    except RecursionError:
        raise EtimsPayloadError("eTIMS reply: nested too deeply") from None
    inner = body.get("responseBody")
    if isinstance(inner, dict):
        body = inner
    elif isinstance(body.get("responseHeader"), dict) and "resultCd" not in body:
        # Gateway validation failures: HTTP 400, responseBody null, the reason in the header.
        header = body["responseHeader"]
        message = header.get("debugMessage") or header.get("customerMessage")
        body = {
            "resultCd": header.get("responseCode"),
            "resultMsg": message if isinstance(message, str) else "",
        }
    try:
        return Reply.model_validate(body)
    except (ValidationError, ValueError, TypeError) as exc:
        raise EtimsPayloadError(f"eTIMS reply: {_fields(exc)}") from None


def _fields(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "bad " + ", ".join(
            ".".join(str(p) for p in e["loc"]) or "body" for e in exc.errors()[:5]
        )
    return type(exc).__name__


M = TypeVar("M", bound=BaseModel)


def _model(model: type[M], value: Any, what: str) -> M:
    try:
        return model.model_validate(value)
    except (ValidationError, ValueError, TypeError) as exc:
        raise EtimsPayloadError(f"{what}: {_fields(exc)}") from None


def parse_device(reply: Reply) -> DeviceInfo:
    info = (reply.data or {}).get("info")
    return _model(DeviceInfo, info, "eTIMS initialisation")


def parse_code_list(reply: Reply) -> tuple[CodeClass, ...]:
    if not reply.succeeded:  # 001: nothing changed since lastReqDt
        return ()
    found = (reply.data or {}).get("clsList")
    if not isinstance(found, list):
        raise EtimsPayloadError("eTIMS code list: clsList missing")
    return tuple(_model(CodeClass, c, "eTIMS code list") for c in found)


def parse_item_classes(reply: Reply) -> tuple[ItemClass, ...]:
    if not reply.succeeded:
        return ()
    found = (reply.data or {}).get("itemClsList")
    if not isinstance(found, list):
        raise EtimsPayloadError("eTIMS item classes: itemClsList missing")
    return tuple(_model(ItemClass, c, "eTIMS item classes") for c in found)


def parse_signature(data: Any) -> SignatureData:
    return _model(SignatureData, data, "eTIMS signature")


def parse_lookup(reply: Reply) -> tuple[str | None, SignatureData]:
    """(the invoice's trdInvcNo if KRA names it, its signature) from selectInvoiceDetails."""
    sales = (reply.data or {}).get("salesList")
    first = sales[0] if isinstance(sales, list) and sales else None
    if not isinstance(first, dict):
        raise EtimsPayloadError("eTIMS invoice lookup: salesList missing")
    trader = first.get("trdInvcNo")
    receipt = first.get("receipt")
    return (
        str(trader).strip() if isinstance(trader, str | int) and str(trader).strip() else None,
        parse_signature(receipt if isinstance(receipt, dict) else first),
    )


def tax_rates_bps(classes: Sequence[CodeClass]) -> dict[str, int]:
    """The tax band rates of code class 04 (rate in userDfnCd1, percent) in basis points, for
    pos_app.core.tax.TaxTable.with_rates: KRA checks every band's rate against this list."""
    rates: dict[str, int] = {}
    for cls in classes:
        if cls.cd_cls != "04":
            continue
        for detail in cls.dtl_list:
            try:
                bps = Decimal((detail.user_dfn_cd1 or "").strip()) * 100
                whole = bps.is_finite() and bps == bps.to_integral_value() and 0 <= bps <= 10_000
            except ArithmeticError:  # not a number, sNaN, overflow
                whole = False
            if not whole:
                raise EtimsPayloadError(f"eTIMS tax band {detail.cd}: no usable rate")
            rates[detail.cd] = int(bps)
    return rates


# ---------------------------------------------------------------------------------- outcomes


@dataclass(frozen=True, slots=True)
class Signed:
    """KRA signed the invoice: everything the receipt must print from the control unit."""

    invoice_number: int  # invcNo, KRA's sequence
    trader_invoice_number: str  # our receipt number (trdInvcNo)
    control_unit_id: str  # sdcId: the receipt prints "sdcId/invoice_number"
    receipt_number: int | None  # curRcptNo
    total_receipt_number: int | None  # totRcptNo
    internal_data: str
    receipt_signature: str
    signed_at: datetime | None  # KRA's clock (sdcDateTime), UTC
    qr_url: str
    recovered: bool = False  # found by the lookup after a lost reply, not from the reply

    @property
    def cu_invoice_number(self) -> str:
        return f"{self.control_unit_id}/{self.invoice_number}"


@dataclass(frozen=True, slots=True)
class Duplicate:
    """KRA already holds this invoice number (994 or a sequence past it): never sign again.
    `signed` is its signature as KRA has it, when the lookup found it."""

    invoice_number: int
    message: str
    signed: Signed | None


@dataclass(frozen=True, slots=True)
class Refused:
    """A definite no. `expected_invoice_number` is KRA's next number when it said so: the
    refused number was not used and may be given to this invoice again once corrected."""

    invoice_number: int
    code: str
    message: str
    expected_invoice_number: int | None = None


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Try later. `in_doubt`: KRA may have signed it; the next attempt must look it up first
    (sign(..., in_doubt=True)) and keep the same invcNo and body."""

    invoice_number: int
    reason: str
    in_doubt: bool
    code: str | None = None


SignOutcome = Signed | Duplicate | Refused | Unavailable


@dataclass(frozen=True, slots=True)
class CodeListUpdate:
    """An incremental pull: `since` is what to send as lastReqDt next time (§3.3)."""

    classes: tuple[CodeClass, ...]
    since: str


@dataclass(frozen=True, slots=True)
class ItemClassUpdate:
    classes: tuple[ItemClass, ...]
    since: str


class _Lost:
    """The request may have reached KRA but no readable answer came back."""


_LOST: Final = _Lost()


def qr_url(receipt_host: str, tin: str, bhf_id: str, signature: str) -> str:
    """KRA's receipt link: Data = PIN + branch + receipt signature, no separators (§9)."""
    return f"{receipt_host}{RECEIPT_PATH}?Data={tin}{bhf_id}{signature}"


# ---------------------------------------------------------------------------------- client


class EtimsClient(ProviderHttp):
    """One OSCU device. Sign strictly in invcNo order, one request in flight per device
    (§5.5): the caller (the relay's signing queue) serialises; this client never resends a
    sale without asking KRA first."""

    def __init__(self, config: EtimsConfig, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(config, http)
        self.config = config

    def __repr__(self) -> str:
        state = "initialised" if self.config.cmc_key else "not initialised"
        return f"EtimsClient({self.config.tin}/{self.config.bhf_id}, {state}, {self._base_url!r})"

    async def initialise(self, device_serial: str) -> DeviceInfo:
        """Ask KRA for this device's communication key. Sent once, never retried: a second
        call answers 902 without the key (§2). Persist the result before anything else."""
        body = InitRequest(tin=self.config.tin, bhf_id=self.config.bhf_id, dvc_srl_no=device_serial)
        try:
            response = await self._send(
                "POST",
                self.config.paths.initialise,
                idempotent=False,
                timeout_s=self.config.init_timeout_s,
                json=body.wire(),
            )
        except httpx.TransportError as exc:
            if nothing_was_sent(exc):
                raise unreachable("etims", "KRA eTIMS", exc) from None
            raise ProviderError(
                "etims_init_no_answer",
                "KRA eTIMS did not answer the device set-up; it may have gone through. Do not "
                "try again: ask KRA support for the device's key (timsupport@kra.go.ke).",
                detail=type(exc).__name__,
            ) from None
        reply = self._reply_or_raise(response, "initialise")
        if reply.succeeded:
            return parse_device(reply)
        if reply.result_cd == DEVICE_INSTALLED:
            raise ProviderError(
                "etims_device_installed",
                "KRA says this device is already set up and gives its key only once. Enter the "
                "saved SCU ID and key, or ask KRA to reset the device.",
                detail=f"initialise: {reply.result_cd} {reply.result_msg[:200]}",
            )
        if reply.result_cd == INVALID_DEVICE:
            raise ProviderError(
                "etims_invalid_device",
                "KRA does not know this device serial for this PIN and branch. Check the serial "
                "in the eTIMS service request, and sandbox versus live.",
                detail=f"initialise: {reply.result_cd} {reply.result_msg[:200]}",
            )
        raise _refusal(reply, "initialise")

    async def code_list(self, since: str = FIRST_PULL) -> CodeListUpdate:
        reply = await self._lookup_call(
            self.config.paths.code_list, SinceRequest(last_req_dt=since)
        )
        _no_change_or_raise(reply, "selectCodeList")
        return CodeListUpdate(parse_code_list(reply), _next_since(reply, since))

    async def item_classes(self, since: str = FIRST_PULL) -> ItemClassUpdate:
        reply = await self._lookup_call(
            self.config.paths.item_classes, SinceRequest(last_req_dt=since)
        )
        _no_change_or_raise(reply, "selectItemClsList")
        return ItemClassUpdate(parse_item_classes(reply), _next_since(reply, since))

    async def save_item(self, item: ItemRequest) -> None:
        """Register or update one item (same itemCd). Resending is harmless: it is an upsert."""
        reply = await self._lookup_call(self.config.paths.save_item, item)
        if not reply.succeeded:
            raise _refusal(reply, "saveItem")

    async def find_invoice(self, invoice_number: int) -> Signed | None:
        """KRA's signature of `invoice_number`, or None when KRA has no such invoice (001)."""
        reply = await self._lookup_call(
            self.config.paths.invoice_details, InvoiceLookupRequest(invc_no=invoice_number)
        )
        if reply.result_cd == NO_DATA:
            return None
        if not reply.succeeded:
            raise _refusal(reply, "selectInvoiceDetails")
        trader, signature = parse_lookup(reply)
        return self._signed(invoice_number, trader or "", signature, recovered=True)

    async def sign(self, sale: SaleRequest, *, in_doubt: bool = False) -> SignOutcome:
        """Have KRA sign `sale` (a sale or a credit note) exactly once.

        The rule that keeps an invoice from being signed twice: the body is sent at most once
        per call without asking, and only when KRA has not got it. A lost reply (timeout after
        sending, 5xx, an unreadable body) is followed by a lookup of the invcNo; KRA has it ->
        Signed(recovered=True); KRA answers "no such invoice" -> the same body is sent once
        more; anything else -> Unavailable(in_doubt=True), and the next call, with
        in_doubt=True, asks before it sends.
        """
        self._require_device()
        if in_doubt and (found := await self._look_up(sale)) is not None:
            return found
        answer = await self._post_sale(sale)
        if not isinstance(answer, _Lost):
            return await self._settle(sale, answer)
        if (found := await self._look_up(sale)) is not None:
            return found
        answer = await self._post_sale(sale)
        if not isinstance(answer, _Lost):
            return await self._settle(sale, answer)
        return Unavailable(sale.invc_no, "KRA eTIMS did not answer twice", in_doubt=True)

    # -------------------------------------------------------------------------- plumbing

    def _require_device(self) -> None:
        if not self.config.cmc_key or not self.config.control_unit_id:
            raise ProviderError(
                "etims_not_initialised",
                "This till's eTIMS device is not set up yet: initialise it first.",
            )

    def _headers(self) -> dict[str, str]:
        headers = {"tin": self.config.tin, "bhfId": self.config.bhf_id}
        if self.config.cmc_key:
            headers["cmcKey"] = self.config.cmc_key
        return headers

    async def _lookup_call(self, path: str, body: EtimsBody) -> Reply:
        """A call that changes nothing at KRA, or changes it the same way twice: resent on
        network errors and 429/5xx by the shared plumbing."""
        try:
            response = await self._send(
                "POST", path, idempotent=True, headers=self._headers(), json=body.wire()
            )
        except httpx.TransportError as exc:
            raise unreachable("etims", "KRA eTIMS", exc) from None
        return self._reply_or_raise(response, path.strip("/"))

    def _reply_or_raise(self, response: httpx.Response, operation: str) -> Reply:
        try:
            return parse_reply(response.content)
        except EtimsPayloadError:
            busy = overloaded("etims", "KRA eTIMS", response.status_code, operation)
            if busy is not None:
                raise busy from None
            raise

    async def _post_sale(self, sale: SaleRequest) -> Reply | Unavailable | _Lost:
        try:
            response = await self._send(
                "POST",
                self.config.paths.save_sale,
                idempotent=False,
                headers=self._headers(),
                json=sale.wire(),
            )
        except httpx.TransportError as exc:
            if nothing_was_sent(exc):
                return Unavailable(sale.invc_no, f"not reached: {type(exc).__name__}", False)
            log.warning("eTIMS sale %s: reply lost (%s)", sale.invc_no, type(exc).__name__)
            return _LOST
        if response.status_code == 429:
            return Unavailable(sale.invc_no, "KRA eTIMS asked us to slow down", False, "429")
        try:
            reply = parse_reply(response.content)
        except EtimsPayloadError:
            log.warning("eTIMS sale %s: HTTP %s, unreadable", sale.invc_no, response.status_code)
            return _LOST
        if response.status_code >= 500 and reply.succeeded:
            return _LOST  # a success code under a server error is nothing to print from
        return reply

    async def _settle(self, sale: SaleRequest, reply: Reply | Unavailable) -> SignOutcome:
        if isinstance(reply, Unavailable):
            return reply
        message = reply.result_msg[:200]
        if reply.succeeded:
            try:
                signature = parse_signature(reply.data)
            except EtimsPayloadError:
                # KRA signed but the signature is unreadable: fetch it as KRA stored it.
                found = await self._look_up(sale)
                return found or Unavailable(sale.invc_no, "signed reply unreadable", True, SUCCESS)
            return self._signed(sale.invc_no, sale.trd_invc_no, signature, recovered=False)
        expected = _expected_number(message)
        if reply.result_cd == DUPLICATE or (expected is not None and expected > sale.invc_no):
            found = await self._look_up(sale)
            return Duplicate(
                sale.invc_no,
                message or reply.result_cd,
                found if isinstance(found, Signed) else None,
            )
        if reply.result_cd in TRANSIENT_CODES:
            return Unavailable(
                sale.invc_no,
                message or "KRA eTIMS is busy",
                reply.result_cd in IN_DOUBT_CODES,
                reply.result_cd,
            )
        return Refused(sale.invc_no, reply.result_cd, message, expected)

    async def _look_up(self, sale: SaleRequest) -> SignOutcome | None:
        """Signed / Refused (the number holds another receipt) / Unavailable(in doubt), or
        None when KRA says it has no invoice of that number."""
        try:
            found = await self.find_invoice(sale.invc_no)
        except ProviderError as exc:
            return Unavailable(sale.invc_no, f"lookup failed: {exc.code}", True, exc.code)
        if found is None:
            return None
        if found.trader_invoice_number and found.trader_invoice_number != sale.trd_invc_no:
            return Refused(
                sale.invc_no,
                INVOICE_NUMBER_TAKEN,
                f"KRA holds invoice {sale.invc_no} for receipt {found.trader_invoice_number}",
            )
        return replace(found, trader_invoice_number=sale.trd_invc_no)

    def _signed(
        self, invoice_number: int, trader: str, signature: SignatureData, *, recovered: bool
    ) -> Signed:
        return Signed(
            invoice_number=invoice_number,
            trader_invoice_number=trader,
            control_unit_id=self.config.control_unit_id or "",
            receipt_number=signature.cur_rcpt_no,
            total_receipt_number=signature.tot_rcpt_no,
            internal_data=signature.intrl_data,
            receipt_signature=signature.rcpt_sign,
            signed_at=signature.sdc_date_time,
            qr_url=qr_url(
                self.config.receipt_host, self.config.tin, self.config.bhf_id, signature.rcpt_sign
            ),
            recovered=recovered,
        )


def _no_change_or_raise(reply: Reply, operation: str) -> None:
    """A list fetch either succeeded or found nothing new (001); any other code is a refusal,
    not an empty update, so the caller keeps its lastReqDt and tries again."""
    if not reply.succeeded and reply.result_cd != NO_DATA:
        raise _refusal(reply, operation)


def _next_since(reply: Reply, since: str) -> str:
    stamp = (reply.result_dt or "").strip()
    return stamp if len(stamp) == 14 and stamp.isdigit() else since


def _expected_number(message: str) -> int | None:
    if "invc" not in message.lower():
        return None
    match = _EXPECTED_NUMBER.search(message)
    return int(match[1]) if match else None


def _refusal(reply: Reply, operation: str) -> ProviderError:
    message = reply.result_msg[:200]
    detail = f"{operation}: {reply.result_cd} {message}".strip()
    if reply.result_cd in TRANSIENT_CODES:
        return ProviderError(
            "etims_unavailable",
            "KRA eTIMS is busy or having problems. Try again shortly.",
            retryable=True,
            detail=detail,
        )
    return ProviderError(
        "etims_refused",
        f"KRA eTIMS did not accept the request: {message or reply.result_cd}.",
        detail=detail,
    )
