"""Monthly sales report: load the shop exports, price every line, rank the regions.

Each slow function sits next to the vectorised version perfscan leaves alone.
"""
from pathlib import Path

import numpy as np
import pandas as pd

EXPORTS = Path("/srv/exports")


def load_exports(paths):
    # PS607: every pd.concat copies all the rows loaded so far.
    sales = pd.DataFrame()
    for path in paths:
        month = pd.read_csv(path, parse_dates=["sold_at"])
        sales = pd.concat([sales, month], ignore_index=True)
    return sales


def load_exports_once(paths):
    return pd.concat([pd.read_csv(path, parse_dates=["sold_at"]) for path in paths], ignore_index=True)


def price_lines(sales: pd.DataFrame) -> pd.DataFrame:
    # PS810: one Series per row, arithmetic in the interpreter, written back cell by cell.
    for i, line in sales.iterrows():
        sales.at[i, "revenue"] = line["unit_price"] * line["quantity"] * (1 - line["discount"])
    return sales


def price_lines_vectorised(sales: pd.DataFrame) -> pd.DataFrame:
    sales["revenue"] = sales["unit_price"] * sales["quantity"] * (1 - sales["discount"])
    return sales


def flag_large_orders(sales: pd.DataFrame) -> pd.DataFrame:
    # PS811: a lambda of column comparisons, called once per row.
    sales["large"] = sales.apply(lambda line: line["quantity"] > 100 or line["revenue"] > 5000, axis=1)
    return sales


def flag_large_orders_vectorised(sales: pd.DataFrame) -> pd.DataFrame:
    sales["large"] = (sales["quantity"] > 100) | (sales["revenue"] > 5000)
    return sales


def mark_returns(sales: pd.DataFrame) -> pd.DataFrame:
    # PS812: a label lookup per row and per cell.
    for label in sales.index:
        if sales.loc[label, "quantity"] < 0:
            sales.loc[label, "returned"] = True
    return sales


def daily_totals(sales: pd.DataFrame, days: int) -> np.ndarray:
    # PS608: a fixed-size array reallocated and copied every day.
    totals = np.array([])
    for day in range(days):
        totals = np.append(totals, sales.loc[sales["day"] == day, "revenue"].sum())
    return totals


def total_revenue(path) -> float:
    # PS813: one boxed NumPy scalar per element.
    revenue = np.loadtxt(path)
    total = 0.0
    for value in revenue:
        total += value
    return total


def total_revenue_vectorised(path) -> float:
    return float(np.loadtxt(path).sum())


def region_ranking(sales: pd.DataFrame) -> pd.DataFrame:
    return sales.groupby("region")["revenue"].sum().sort_values(ascending=False).to_frame()
