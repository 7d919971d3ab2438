"""Tax-correct sales (issue 16): products carry a tax class and a unit; order lines keep their
class, rate, discounts, per-line VAT and quantities in thousandths (weighed goods), and how
much of them came back; orders keep a gap-free receipt number per till (counter rows in
receipt_counters) and the cart discount; credit_note_lines say what a refund reverses; shop
settings carry the country, the receipt prefix, the discount percent above which a supervisor
approves, and the scale-label layouts. orders.vat_bps goes: VAT is per line, per band.

Lines stored before this revision were taxed at their order's one rate: they become class B at
that rate, split per line by the same rule as new lines (the order's stored VAT, taxed once on
the total, may differ from the sum of its lines by a minor unit).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add = op.add_column
    add("shop_settings", sa.Column("country", sa.String(2), nullable=False, server_default="KE"))
    add(
        "shop_settings",
        sa.Column("receipt_prefix", sa.String(12), nullable=False, server_default="TILL1"),
    )
    add(
        "shop_settings",
        sa.Column("discount_approval_bps", sa.Integer, nullable=False, server_default="1000"),
    )
    add(
        "shop_settings",
        sa.Column("scale_layouts", sa.String(64), nullable=False, server_default="21=weight"),
    )
    add("products", sa.Column("tax_class", sa.String(4), nullable=False, server_default="B"))
    add("products", sa.Column("unit", sa.String(8), nullable=False, server_default="each"))

    # plain RENAME: SQLite rewrites the CHECK constraint that names the column
    op.execute("ALTER TABLE order_lines RENAME COLUMN quantity TO quantity_thousandths")
    op.execute("UPDATE order_lines SET quantity_thousandths = quantity_thousandths * 1000")
    add("order_lines", sa.Column("unit", sa.String(8), nullable=False, server_default="each"))
    add("order_lines", sa.Column("tax_class", sa.String(4), nullable=False, server_default="B"))
    add("order_lines", sa.Column("tax_rate_bps", sa.Integer, nullable=False, server_default="0"))
    add("order_lines", sa.Column("discount_minor", sa.Integer, nullable=False, server_default="0"))
    add("order_lines", sa.Column("discount_reason", sa.Text, nullable=True))
    add(
        "order_lines",
        sa.Column("cart_discount_minor", sa.Integer, nullable=False, server_default="0"),
    )
    add("order_lines", sa.Column("taxable_minor", sa.Integer, nullable=False, server_default="0"))
    add("order_lines", sa.Column("vat_minor", sa.Integer, nullable=False, server_default="0"))
    add(
        "order_lines",
        sa.Column("refunded_thousandths", sa.Integer, nullable=False, server_default="0"),
    )
    # old lines: their order's rate; taxable = round-half-up(gross * 10000 / (10000 + rate))
    op.execute(
        "UPDATE order_lines SET tax_rate_bps = "
        "(SELECT vat_bps FROM orders WHERE orders.id = order_lines.order_id)"
    )
    op.execute(
        "UPDATE order_lines SET taxable_minor = "
        "(line_total_minor * 20000 + 10000 + tax_rate_bps) / (2 * (10000 + tax_rate_bps))"
    )
    op.execute("UPDATE order_lines SET vat_minor = line_total_minor - taxable_minor")

    add("orders", sa.Column("receipt_prefix", sa.String(12), nullable=True))
    add("orders", sa.Column("receipt_sequence", sa.Integer, nullable=True))
    add("orders", sa.Column("cart_discount_reason", sa.Text, nullable=True))
    add("orders", sa.Column("discount_approved_by", sa.String(36), nullable=True))
    op.drop_column("orders", "vat_bps")
    op.create_index(
        "ux_orders_receipt_number",
        "orders",
        ["receipt_prefix", "receipt_sequence"],
        unique=True,
        sqlite_where=sa.text("receipt_sequence IS NOT NULL"),
    )

    op.create_table(
        "receipt_counters",
        sa.Column("prefix", sa.String(12), primary_key=True),
        sa.Column("last_sequence", sa.Integer, nullable=False),
    )
    op.create_table(
        "credit_note_lines",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("refund_id", sa.String(36), sa.ForeignKey("refunds.id"), nullable=False),
        sa.Column(
            "order_line_id", sa.String(36), sa.ForeignKey("order_lines.id"), nullable=False
        ),
        sa.Column("quantity_thousandths", sa.Integer, nullable=False),
        sa.Column("amount_minor", sa.Integer, nullable=False),
        sa.Column("tax_class", sa.String(4), nullable=False),
        sa.Column("tax_rate_bps", sa.Integer, nullable=False),
        sa.Column("taxable_minor", sa.Integer, nullable=False),
        sa.Column("vat_minor", sa.Integer, nullable=False),
        sa.CheckConstraint("quantity_thousandths > 0", name="ck_credit_note_lines_quantity"),
    )
    op.create_index("ix_credit_note_lines_refund_id", "credit_note_lines", ["refund_id"])
    op.create_index(
        "ix_credit_note_lines_order_line_id", "credit_note_lines", ["order_line_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_credit_note_lines_order_line_id", table_name="credit_note_lines")
    op.drop_index("ix_credit_note_lines_refund_id", table_name="credit_note_lines")
    op.drop_table("credit_note_lines")
    op.drop_table("receipt_counters")
    op.drop_index("ux_orders_receipt_number", table_name="orders")
    op.add_column(
        "orders", sa.Column("vat_bps", sa.Integer, nullable=False, server_default="1600")
    )
    for column in ("discount_approved_by", "cart_discount_reason", "receipt_sequence",
                   "receipt_prefix"):
        op.drop_column("orders", column)
    for column in ("refunded_thousandths", "vat_minor", "taxable_minor", "cart_discount_minor",
                   "discount_reason", "discount_minor", "tax_rate_bps", "tax_class", "unit"):
        op.drop_column("order_lines", column)
    # a weighed line below one unit would break the old "quantity > 0": it becomes 1
    op.execute(
        "UPDATE order_lines SET quantity_thousandths = MAX(1, quantity_thousandths / 1000)"
    )
    op.execute("ALTER TABLE order_lines RENAME COLUMN quantity_thousandths TO quantity")
    op.drop_column("products", "unit")
    op.drop_column("products", "tax_class")
    for column in ("scale_layouts", "discount_approval_bps", "receipt_prefix", "country"):
        op.drop_column("shop_settings", column)
