"""What the cashier has rung up so far, and its table model for the sale screen."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from pos_app.core.errors import DukaError, InvalidOrder, InvalidQuantity
from pos_app.core.money import Money
from pos_app.core.orders import MAX_QUANTITY, Order, OrderLine
from pos_app.core.quantities import PER_UNIT, Quantity, Unit, line_gross
from pos_app.core.tax import TaxTable

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CartLine:
    name: str
    unit_price: Money
    quantity: int | Quantity = 1  # pieces, or a weight / volume (as OrderLine.quantity)
    product_id: str | None = None
    # the product's class, for the VAT shown before charging (the stored order looks it up
    # again); None: the shop's standard class
    tax_class: str | None = None

    @property
    def amount(self) -> Quantity:
        if isinstance(self.quantity, Quantity):
            return self.quantity
        return Quantity.each(self.quantity)

    @property
    def unit(self) -> Unit:
        return self.amount.unit

    @property
    def total(self) -> Money:
        return line_gross(self.unit_price, self.amount)


class CartModel(QAbstractTableModel):
    """Lines of the sale in progress; a product scanned twice is one line with quantity 2,
    while each weighed or measured line (a scale label) stays a line of its own."""

    def __init__(self, code: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.code = code
        self.lines: list[CartLine] = []

    # --- editing --------------------------------------------------------------------------
    def add(self, line: CartLine) -> int:
        """Adds `line` (merging with the same product) and returns its row."""
        if line.unit_price.currency != self.code:
            raise InvalidOrder(f"This till sells in {self.code}, not {line.unit_price.currency}.")
        if line.product_id is not None and isinstance(line.quantity, int):
            for row, existing in enumerate(self.lines):
                same = existing.product_id == line.product_id
                if same and existing.unit_price == line.unit_price and isinstance(
                    existing.quantity, int
                ):
                    self.set_quantity(row, existing.quantity + line.quantity)
                    return row
        row = len(self.lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.append(line)
        self.endInsertRows()
        return row

    def set_quantity(self, row: int, quantity: int | Quantity) -> None:
        """Pieces as a count; a weighed or measured line only in its own unit."""
        line = self.lines[row]
        if isinstance(quantity, Quantity):
            if quantity.unit is not line.unit:
                raise InvalidQuantity(f"{line.name} is sold by {line.unit}, not {quantity.unit}.")
            if quantity.unit is Unit.EACH:
                quantity = quantity.thousandths // PER_UNIT
        elif line.unit is not Unit.EACH:
            raise InvalidQuantity(f"{line.name} is sold by {line.unit}: give its quantity.")
        elif not 0 < quantity <= MAX_QUANTITY:
            raise InvalidOrder(f"A quantity must be between 1 and {MAX_QUANTITY:,}.")
        self.lines[row] = replace(line, quantity=quantity)
        self.dataChanged.emit(self.index(row, 0), self.index(row, 3))

    def set_price(self, row: int, price: Money) -> None:
        self.lines[row] = replace(self.lines[row], unit_price=price)
        self.dataChanged.emit(self.index(row, 0), self.index(row, 3))

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.lines[row]
        self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.lines = []
        self.endResetModel()

    # --- reading --------------------------------------------------------------------------
    @property
    def total(self) -> Money:
        result = Money.zero(self.code)
        for line in self.lines:
            result = result + line.total
        return result

    @property
    def item_count(self) -> int:
        """Pieces, plus one for each weighed or measured line."""
        return sum(line.quantity if isinstance(line.quantity, int) else 1 for line in self.lines)

    def vat(self, table: TaxTable) -> Money:
        """The VAT in the cart as the order will price it: per line in its class, per band."""
        if not self.lines:
            return Money.zero(self.code)
        lines = [
            OrderLine(line.name, line.unit_price, line.quantity, line.product_id, line.tax_class)
            for line in self.lines
        ]
        try:
            return Order.of(lines, table).vat
        except DukaError:  # a class the shop's table lacks: the order will say so at Charge
            return Money.zero(self.code)

    def order_lines(self) -> list[OrderLine]:
        return [
            OrderLine(line.name, line.unit_price, line.quantity, line.product_id)
            for line in self.lines
        ]

    # --- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("Item"), self.tr("Qty"), self.tr("Price"), self.tr("Total"))[section]

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return line.name
            if column == 1:
                return str(line.quantity)  # "3", or "0.75 kg" (Quantity.format)
            if column == 2:
                return line.unit_price.format(with_code=False)
            return line.total.format(with_code=False)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
