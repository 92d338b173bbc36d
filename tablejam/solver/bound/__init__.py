"""A proven upper bound that knows tables (column generation over table compositions, with a Lagrangian bound
valid at every iteration), and price and branch: a schedule made of the columns it found.

    result = lp_bound(problem, stop, on_bound=..., start=incumbent_seating)   # result.bound: instance units
    seating = price_and_branch(problem, result.columns, stop, hint=incumbent_seating)
"""

from tablejam.solver.bound.branch import price_and_branch
from tablejam.solver.bound.columns import Column, Kind, table_kinds
from tablejam.solver.bound.generation import BoundResult, ColumnGeneration, lp_bound

__all__ = ["BoundResult", "Column", "ColumnGeneration", "Kind", "lp_bound", "price_and_branch", "table_kinds"]
