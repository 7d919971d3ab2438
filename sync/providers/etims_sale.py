"""The saveTrnsSalesOsdc body of a priced sale or a credit note, built from the tax core.

Pure: no I/O and no arithmetic of its own beyond unit conversion. Every amount comes from
pos_app.core (pricing for sales, refunds for credit notes): the per-line VAT split, the band
sums and the discount allocation there are KRA's rules (docs/tax.md), so the body states what
the receipt prints. Kept apart from sync.providers.etims so that the relay, which must not
import the till, can use the client without this module.

Line mapping (ETIMS.md §5.3-5.4, docs/etims.md): prc = unit price, qty = quantity (2 dp),
pkg = qty, splyAmt = gross before discount, dcAmt = line discount + cart share, dcRt its
percent of splyAmt, taxblAmt/taxAmt/totAmt = the discounted gross split by the line's band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from pos_app.core.money import Money
from pos_app.core.pricing import PricedCart
from pos_app.core.quantities import PER_UNIT, Quantity, line_gross
from pos_app.core.refunds import CreditNote
from pos_app.core.rounding import BPS_DENOMINATOR, round_half_up
from pos_app.core.tax import LineTax, TaxSummary
from sync.providers.etims import ItemRequest, SaleItem, SaleReceipt, SaleRequest
from sync.providers.wire import NAIROBI

CURRENCY: Final = "KES"
BANDS: Final = ("A", "B", "C", "D", "E")  # eTIMS wants all five, zeros when unused (§5.1)
_CENTS: Final = Decimal("0.01")


class EtimsBodyError(ValueError):
    """The sale cannot be expressed as an eTIMS body (wrong currency, missing item data...)."""


@dataclass(frozen=True, slots=True)
class EtimsItem:
    """How KRA knows one product: registered with saveItem before its first sale (§4)."""

    item_code: str  # itemCd, e.g. KE2NTNO0000001
    class_code: str  # itemClsCd from selectItemClsList
    qty_unit: str  # qtyUnitCd (cdCls 10): NO pieces, KG, LTR...
    pkg_unit: str = "NT"  # pkgUnitCd (cdCls 17): NT = net, no packaging
    barcode: str | None = None


def item_request(
    item: EtimsItem,
    name: str,
    tax_class: str,
    price: Money,
    *,
    active: bool,
    user_id: str,
    user_name: str,
) -> ItemRequest:
    """The saveItem body of one product (§4): KRA's item code, class and units, the product's
    tax class letter and its price; a product taken off sale is kept with useYn N."""
    return ItemRequest(
        item_cd=item.item_code,
        item_cls_cd=item.class_code,
        item_ty_cd="2",  # finished goods: what a shop sells (cdCls 24)
        item_nm=name[:200],
        orgn_nat_cd=item.item_code[:2],
        pkg_unit_cd=item.pkg_unit,
        qty_unit_cd=item.qty_unit,
        tax_ty_cd=tax_class,
        bcd=item.barcode,
        dft_prc=_amount(price),
        use_yn="Y" if active else "N",
        regr_id=user_id[:20],
        regr_nm=user_name[:60],
        modr_id=user_id[:20],
        modr_nm=user_name[:60],
    )


@dataclass(frozen=True, slots=True)
class ReceiptTexts:
    """The shop's header and footer, frozen into KRA's record at signing (§5.2)."""

    trade_name: str
    address: str | None = None
    top_message: str | None = None
    bottom_message: str | None = None


@dataclass(frozen=True, slots=True)
class InvoiceHeader:
    """Who, when and how paid, for one sale or credit note."""

    trader_invoice_number: str  # our receipt number, e.g. "TILL1-000872"
    invoice_number: int  # KRA's next invcNo for this device (shared by sales and credits)
    confirmed_at: datetime  # aware; sent in Nairobi time
    payment_type: str  # cdCls 07: 01 cash, 06 mobile money, 05 card...
    cashier_id: str
    cashier_name: str
    receipt: ReceiptTexts
    buyer_tin: str | None = None  # only a PIN KRA knows (selectCustomer); else None
    buyer_name: str | None = None
    buyer_phone: str | None = None
    remark: str | None = None

    def __post_init__(self) -> None:
        if self.confirmed_at.tzinfo is None:
            raise EtimsBodyError("The time of an eTIMS invoice must carry its time zone.")


@dataclass(frozen=True, slots=True)
class _Line:
    name: str
    item: EtimsItem
    unit_price: Money
    quantity: Quantity
    supply: Money  # before discount
    tax: LineTax  # of what the buyer pays, after discount


def sale_request(
    priced: PricedCart, items: Sequence[EtimsItem], header: InvoiceHeader
) -> SaleRequest:
    """The body for a sale; `items[i]` is KRA's item for `priced.lines[i]`."""
    if len(items) != len(priced.lines):
        raise EtimsBodyError("Every sale line needs its eTIMS item.")
    lines = [
        _Line(p.line.name, item, p.line.unit_price, p.line.quantity, p.gross, p.tax)
        for p, item in zip(priced.lines, items, strict=True)
    ]
    return _request(lines, priced.taxes, header, receipt_type="S")


def credit_note_request(
    note: CreditNote,
    original: PricedCart,
    items: Sequence[EtimsItem],
    header: InvoiceHeader,
    *,
    original_invoice_number: int,
    reason_code: str,
) -> SaleRequest:
    """The body for a credit note (rcptTyCd R) against KRA's `original_invoice_number`.

    Amounts are positive (§6). A credit line is priced at the original unit price; what the
    buyer paid less than that (the line's share of its discounts) goes back as dcAmt, so
    splyAmt - dcAmt is exactly the amount credited by pos_app.core.refunds.
    """
    if len(items) != len(original.lines):
        raise EtimsBodyError("Every line of the original sale needs its eTIMS item.")
    if original_invoice_number <= 0:
        raise EtimsBodyError("A credit note needs KRA's number of the original invoice.")
    lines = []
    for credit in note.lines:
        sold = original.lines[credit.index].line
        at_price = line_gross(sold.unit_price, credit.quantity)
        supply = at_price if at_price.minor >= credit.amount.minor else credit.amount
        lines.append(
            _Line(
                sold.name, items[credit.index], sold.unit_price, credit.quantity, supply, credit.tax
            )
        )
    return _request(
        lines,
        note.taxes,
        header,
        receipt_type="R",
        original_invoice_number=original_invoice_number,
        reason_code=reason_code,
    )


def _request(
    lines: Sequence[_Line],
    taxes: TaxSummary,
    header: InvoiceHeader,
    *,
    receipt_type: str,
    original_invoice_number: int = 0,
    reason_code: str | None = None,
) -> SaleRequest:
    if taxes.currency != CURRENCY:
        raise EtimsBodyError(f"eTIMS invoices are in {CURRENCY}, not {taxes.currency}.")
    stamp = header.confirmed_at.astimezone(NAIROBI).strftime("%Y%m%d%H%M%S")
    bands = {code: taxes.band(code) for code in BANDS}
    fields: dict[str, object] = {}
    for code, band in bands.items():
        suffix = code.lower()
        fields[f"taxbl_amt_{suffix}"] = _amount(band.taxable)
        fields[f"tax_rt_{suffix}"] = _percent(band.tax_class.rate_bps)
        fields[f"tax_amt_{suffix}"] = _amount(band.tax)
    credit = receipt_type == "R"
    return SaleRequest.model_validate(
        {
            "trd_invc_no": header.trader_invoice_number,
            "invc_no": header.invoice_number,
            "org_invc_no": original_invoice_number,
            "cust_tin": header.buyer_tin,
            "cust_nm": header.buyer_name,
            "sales_ty_cd": "N",
            "rcpt_ty_cd": receipt_type,
            "pmt_ty_cd": header.payment_type,
            "sales_stts_cd": "02",
            "cfm_dt": stamp,
            "sales_dt": stamp[:8],
            "stock_rls_dt": stamp,
            "rfd_dt": stamp if credit else None,
            "rfd_rsn_cd": reason_code if credit else None,
            "tot_item_cnt": len(lines),
            **fields,
            "tot_taxbl_amt": _amount(taxes.taxable),
            "tot_tax_amt": _amount(taxes.tax),
            "tot_amt": _amount(taxes.gross),
            "prchr_acptc_yn": "N",
            "remark": header.remark,
            "regr_id": header.cashier_id,
            "regr_nm": header.cashier_name,
            "modr_id": header.cashier_id,
            "modr_nm": header.cashier_name,
            "receipt": SaleReceipt(
                cust_tin=header.buyer_tin,
                cust_mbl_no=header.buyer_phone,
                rcpt_pbct_dt=stamp,
                trde_nm=header.receipt.trade_name,
                adrs=header.receipt.address,
                top_msg=header.receipt.top_message,
                btm_msg=header.receipt.bottom_message,
            ),
            "item_list": tuple(_item(seq, line) for seq, line in enumerate(lines, start=1)),
        }
    )


def _item(seq: int, line: _Line) -> SaleItem:
    qty = _quantity(line.quantity, line.name)
    discount = line.supply.minor - line.tax.gross.minor
    if discount < 0:
        raise EtimsBodyError(f"{line.name!r}: the line costs more than its price.")
    return SaleItem(
        item_seq=seq,
        item_cd=line.item.item_code,
        item_cls_cd=line.item.class_code,
        item_nm=line.name,
        bcd=line.item.barcode,
        pkg_unit_cd=line.item.pkg_unit,
        pkg=qty,
        qty_unit_cd=line.item.qty_unit,
        qty=qty,
        prc=_amount(line.unit_price),
        sply_amt=_amount(line.supply),
        dc_rt=_percent(round_half_up(discount * BPS_DENOMINATOR, line.supply.minor))
        if line.supply.minor
        else Decimal(0),
        dc_amt=_amount(Money(discount, line.supply.currency)),
        tax_ty_cd=line.tax.tax_class.code,
        taxbl_amt=_amount(line.tax.taxable),
        tax_amt=_amount(line.tax.tax),
        tot_amt=_amount(line.tax.gross),
    )


def _amount(money: Money) -> Decimal:
    if money.currency != CURRENCY:
        raise EtimsBodyError(f"eTIMS invoices are in {CURRENCY}, not {money.currency}.")
    return (Decimal(money.minor) / 100).quantize(_CENTS)


def _percent(bps: int) -> Decimal:
    return (Decimal(bps) / 100).quantize(_CENTS)


def _quantity(quantity: Quantity, name: str) -> Decimal:
    """KRA takes two decimals (qty 13,2, §1.3); the till weighs in thousandths. Rounded half
    up by the till's one rule; the amounts stay those of the exact weight (docs/etims.md)."""
    hundredths = round_half_up(quantity.thousandths, PER_UNIT // 100)
    if hundredths <= 0:
        raise EtimsBodyError(f"{name!r}: {quantity} is below the 0.01 eTIMS can record.")
    return (Decimal(hundredths) / 100).quantize(_CENTS)
