"""When a part of the engine must stop: small criteria objects, combined into one `Stop`.

Every part (local search, CP-SAT, neighbourhoods) takes a `Stop` and asks it between chunks of
work whether any criterion is met, passing its `Progress`. Parts that hand the budget on to
another solver (CP-SAT) also read the criteria they can enforce themselves: the seconds left, a
deterministic work budget, a target objective, the event that interrupts everything.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Protocol, TypeVar


@dataclass(frozen=True)
class Progress:
    """What a search part knows between chunks of work."""

    iterations: int = 0
    evaluations: int = 0  # moves evaluated: work measured independently of the machine
    since_better: int = 0  # iterations since the best seating last improved
    violations: int = 1  # of the best seating (0: valid)
    objective: float = -math.inf  # of the best seating, scaled
    repeats: int = 0  # of the best seating (where repeats are allowed at a cost: not among its violations)


class Criterion(Protocol):
    def met(self, progress: Progress) -> bool: ...


@dataclass(frozen=True)
class Deadline:
    """The wall clock has reached `at` (a time.perf_counter() value)."""

    at: float

    def met(self, progress: Progress) -> bool:
        return time.perf_counter() >= self.at

    def seconds_left(self) -> float:
        return max(0.0, self.at - time.perf_counter())


@dataclass(frozen=True)
class Interrupted:
    """Someone set the event: a signal handler, or a caller that wants the best so far now."""

    event: threading.Event

    def met(self, progress: Progress) -> bool:
        return self.event.is_set()


@dataclass(frozen=True)
class MaxIterations:
    iterations: int

    def met(self, progress: Progress) -> bool:
        return progress.iterations >= self.iterations


@dataclass(frozen=True)
class MaxEvaluations:
    """A budget of work, not of seconds: with it, the same seed gives the same run on any machine."""

    evaluations: int

    def met(self, progress: Progress) -> bool:
        return progress.evaluations >= self.evaluations


@dataclass(frozen=True)
class DeterministicTime:
    """CP-SAT's own work budget (its deterministic clock), for reproducible CP-SAT runs."""

    seconds: float

    def met(self, progress: Progress) -> bool:
        return False  # CP-SAT enforces it itself


@dataclass(frozen=True)
class NoImprovement:
    """So many iterations have passed without a better seating."""

    iterations: int

    def met(self, progress: Progress) -> bool:
        return progress.since_better > self.iterations


@dataclass(frozen=True)
class Valid:
    """The best seating keeps every rule."""

    def met(self, progress: Progress) -> bool:
        return progress.violations == 0


@dataclass(frozen=True)
class Settled:
    """The best seating keeps every rule and repeats no meeting: nothing is left for conflict-directed search."""

    def met(self, progress: Progress) -> bool:
        return progress.violations == 0 and progress.repeats == 0


@dataclass(frozen=True)
class Target:
    """A valid seating reaches `objective` (scaled): a proven bound, so nothing better exists."""

    objective: float

    def met(self, progress: Progress) -> bool:
        return progress.violations == 0 and progress.objective >= self.objective


C = TypeVar("C")


class Stop:
    """Stop as soon as any of the criteria is met."""

    def __init__(self, *criteria: Criterion) -> None:
        self.criteria: tuple[Criterion, ...] = criteria

    def __or__(self, other: Stop | Criterion) -> Stop:
        more = other.criteria if isinstance(other, Stop) else (other,)
        return Stop(*self.criteria, *more)

    def met(self, progress: Progress | None = None) -> bool:
        progress = progress or Progress()
        return any(criterion.met(progress) for criterion in self.criteria)

    def of(self, kind: type[C]) -> list[C]:
        return [criterion for criterion in self.criteria if isinstance(criterion, kind)]

    def seconds_left(self) -> float:
        """Until the earliest deadline (infinite without one; 0 once interrupted)."""
        if any(criterion.event.is_set() for criterion in self.of(Interrupted)):
            return 0.0
        return min((deadline.seconds_left() for deadline in self.of(Deadline)), default=math.inf)

    def max_evaluations(self) -> int | None:
        return min((budget.evaluations for budget in self.of(MaxEvaluations)), default=None)

    def max_iterations(self) -> int | None:
        return min((budget.iterations for budget in self.of(MaxIterations)), default=None)

    def deterministic_time(self) -> float | None:
        return min((budget.seconds for budget in self.of(DeterministicTime)), default=None)

    def target(self) -> float | None:
        return min((target.objective for target in self.of(Target)), default=None)

    def until_valid(self) -> bool:
        return bool(self.of(Valid))

    def until_settled(self) -> bool:
        return bool(self.of(Settled))

    def interrupted(self) -> bool:
        return any(criterion.event.is_set() for criterion in self.of(Interrupted))
