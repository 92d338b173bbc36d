"""The engine: CP-SAT at its heart, fed by a constructive start."""

from tablejam.solver.engine import solve

__all__ = ["solve"]
