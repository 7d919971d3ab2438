"""The cashier's screens: sale, tenders, COD orders, shift, sales list."""
