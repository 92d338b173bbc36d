"""The restricted master LP of the column generation, on GLOP."""

from __future__ import annotations

import math

import numpy as np
from ortools.linear_solver import pywraplp


class Master:
    """A linear program grown by rows and columns: maximise cost.x subject to rows (each an equality or an upper
    bound) and 0 <= x <= upper.

    GLOP (OR-Tools' primal simplex) re-solves it from the last basis as columns and rows are added; measured on
    the Business Jam's masters (some 500 rows, 4,000 columns) a warm re-solve takes 0.15-0.5 s where HiGHS from
    scratch (scipy.optimize.linprog) takes 0.6 s and on degenerate masters up to 13 s. The model is also kept as
    triplets, so that GLOP can start afresh when a warm start fails (it rarely reports ABNORMAL)."""

    def __init__(self) -> None:
        self.row_hi: list[float] = []
        self.row_equal: list[bool] = []
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.entries: list[dict[int, float]] = []  # per variable: row -> coefficient
        self.x = np.zeros(0)
        self.duals = np.zeros(0)
        self.value = -math.inf
        self.status = -1
        self._build()

    def _build(self) -> None:
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = self.solver.Objective()
        self.objective.SetMaximization()
        self.rows: list[pywraplp.Constraint] = []
        self.vars: list[pywraplp.Variable] = []
        for hi, equal in zip(self.row_hi, self.row_equal, strict=True):
            self.rows.append(self.solver.Constraint(hi if equal else -self.solver.infinity(), hi))
        for cost, upper, entries in zip(self.cost, self.upper, self.entries, strict=True):
            self._new_var(cost, upper, entries)

    def _new_var(self, cost: float, upper: float, entries: dict[int, float]) -> None:
        var = self.solver.NumVar(0, upper if math.isfinite(upper) else self.solver.infinity(), "")
        self.objective.SetCoefficient(var, cost)
        for row, coef in entries.items():
            self.rows[row].SetCoefficient(var, coef)
        self.vars.append(var)

    def add_row(self, hi: float, equal: bool) -> int:
        self.row_hi.append(hi)
        self.row_equal.append(equal)
        self.rows.append(self.solver.Constraint(hi if equal else -self.solver.infinity(), hi))
        return len(self.row_hi) - 1

    def add_var(self, cost: float, upper: float, entries: dict[int, float]) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        self.entries.append(dict(entries))
        self._new_var(cost, upper, entries)
        return len(self.cost) - 1

    def set_coef(self, row: int, var: int, coef: float) -> None:
        self.entries[var][row] = coef
        self.rows[row].SetCoefficient(self.vars[var], coef)

    def interrupt(self) -> None:
        """End a solve under way at once (from another thread: GLOP releases the GIL while it solves)."""
        self.solver.InterruptSolve()

    def solve(self, seconds: float, dual: bool = False) -> bool:
        """Solve; False if GLOP did not reach the optimum (time limit, numerical trouble twice).

        `dual`: rows were added that the last solution breaks, so it is no longer primal feasible but still
        dual feasible, and the dual simplex goes on from it (the primal would start again from phase one)."""
        self.solver.SetSolverSpecificParametersAsString(f"use_dual_simplex: {str(dual).lower()}")
        for attempt in range(2):
            if math.isfinite(seconds):
                self.solver.SetTimeLimit(max(1, int(seconds * 1000)))
            status = self.status = self.solver.Solve()
            if status == pywraplp.Solver.OPTIMAL:
                break
            if status != pywraplp.Solver.ABNORMAL or attempt:
                return False
            self._build()  # a failed warm start: afresh from the triplets
        self.x = np.asarray([var.solution_value() for var in self.vars])
        self.duals = np.asarray([row.dual_value() for row in self.rows])
        self.value = self.objective.Value()
        return True
