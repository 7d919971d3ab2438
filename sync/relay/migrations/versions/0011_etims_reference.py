"""KRA eTIMS reference data: each shop's code lists and item classes as its device last
fetched them (selectCodeList, selectItemClsList), and the lastReqDt each was fetched up to,
so the daily fetch asks KRA only for what changed since

Revision ID: 0011_etims_reference
Revises: 0010_mpesa_pull
Create Date: 2026-12-03 12:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_etims_reference"
down_revision: str | None = "0010_mpesa_pull"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "etims_codes",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), primary_key=True),
        sa.Column("cd_cls", sa.String(10), primary_key=True),
        sa.Column("cd", sa.String(40), primary_key=True),
        sa.Column("cd_cls_nm", sa.String(200)),
        sa.Column("cd_nm", sa.String(200)),
        sa.Column("use_yn", sa.String(1)),
        sa.Column("srt_ord", sa.Integer()),
        sa.Column("user_dfn_cd1", sa.String(100)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "etims_item_classes",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), primary_key=True),
        sa.Column("item_cls_cd", sa.String(20), primary_key=True),
        sa.Column("item_cls_nm", sa.String(200)),
        sa.Column("item_cls_lvl", sa.Integer()),
        sa.Column("tax_ty_cd", sa.String(5)),
        sa.Column("use_yn", sa.String(1)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "etims_reference_pulls",
        sa.Column("shop_id", sa.String(36), sa.ForeignKey("shops.id"), primary_key=True),
        sa.Column("list", sa.String(12), primary_key=True),
        sa.Column("last_req_dt", sa.String(14), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True)),
        sa.Column("tried_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failure", sa.String(200)),
    )


def downgrade() -> None:
    op.drop_table("etims_reference_pulls")
    op.drop_table("etims_item_classes")
    op.drop_table("etims_codes")
