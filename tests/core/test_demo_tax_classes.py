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
    assert len(classes) == len(rows) == 20
    # staples the VAT Act zero-rates or exempts, and one standard-rated good, as documented
    assert {k: classes[k] for k in ("UNGA-2KG", "MAZIWA-500", "MKATE-400")} == dict.fromkeys(
        ("UNGA-2KG", "MAZIWA-500", "MKATE-400"), "C"
    )
    assert {k: classes[k] for k in ("MCHELE-1KG", "MAYAI-30", "PANADOL-2")} == dict.fromkeys(
        ("MCHELE-1KG", "MAYAI-30", "PANADOL-2"), "A"
    )
    assert classes["SUKARI-1KG"] == "B"
