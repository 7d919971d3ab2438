"""The demo catalogue carries a Kenyan tax class per product (sources: docs/tax.md)."""

from __future__ import annotations

import csv
from pathlib import Path

from pos_app.core.tax import KENYA

CATALOGUE = Path(__file__).resolve().parents[2] / "resources" / "demo_catalogue.csv"


def test_every_demo_product_has_a_kenyan_tax_class() -> None:
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    classes = {row["sku"]: KENYA.get(row["tax_class"]).code for row in rows}
    assert len(classes) == len(rows) == 21
    # staples the VAT Act zero-rates or exempts, and one standard-rated good, as documented
    assert {k: classes[k] for k in ("UNGA-2KG", "MAZIWA-500", "MKATE-400")} == dict.fromkeys(
        ("UNGA-2KG", "MAZIWA-500", "MKATE-400"), "C"
    )
    assert {k: classes[k] for k in ("MCHELE-1KG", "MAYAI-30", "PANADOL-2")} == dict.fromkeys(
        ("MCHELE-1KG", "MAYAI-30", "PANADOL-2"), "A"
    )
    assert classes["SUKARI-1KG"] == "B"


def test_the_demo_catalogue_sells_loose_sugar_by_the_kilo_from_a_scale_label() -> None:
    with CATALOGUE.open(encoding="utf-8", newline="") as f:
        rows = {row["sku"]: row for row in csv.DictReader(f)}
    weighed = [sku for sku, row in rows.items() if row["unit"] == "kg"]
    # a scale label's item code is five digits: the product's SKU
    assert weighed == ["00101"] and rows["00101"]["tax_class"] == "B"
    assert all(row["unit"] == "each" for sku, row in rows.items() if sku != "00101")
