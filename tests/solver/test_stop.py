"""The stopping criteria, each alone and combined into a `Stop`.

Every search part trusts these small objects to end it: a criterion that is met one step too late
(or too early) changes every run, and the budgets a `Stop` hands on to CP-SAT (seconds left, work,
target) must be the tightest of the criteria it holds. Progress values are chosen on both sides of
each threshold; no search runs here.
"""

from __future__ import annotations

import math
import threading
import time

import pytest

from tablejam.solver.stop import (
    Deadline,
    DeterministicTime,
    Interrupted,
    MaxEvaluations,
    MaxIterations,
    NoImprovement,
    Progress,
    Stop,
    Target,
    Valid,
)

HOUR = 3600.0


def passed() -> Deadline:
    return Deadline(time.perf_counter() - 1)


def in_an_hour() -> Deadline:
    return Deadline(time.perf_counter() + HOUR)


def set_event() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


# Each criterion alone


def test_deadline_is_met_once_the_clock_reaches_it() -> None:
    assert passed().met(Progress())
    assert not in_an_hour().met(Progress())


def test_deadline_seconds_left_count_down_and_never_go_negative() -> None:
    assert passed().seconds_left() == 0.0
    # An hour ahead, less than a second has been spent building it.
    assert HOUR - 1 < in_an_hour().seconds_left() <= HOUR


def test_interrupted_follows_its_event() -> None:
    event = threading.Event()
    criterion = Interrupted(event)
    assert not criterion.met(Progress())
    event.set()
    assert criterion.met(Progress())


@pytest.mark.parametrize(("iterations", "met"), [(9, False), (10, True), (11, True)])
def test_max_iterations_is_met_at_the_budget(iterations: int, met: bool) -> None:
    # The budget is the number of iterations allowed: the 10th completes it.
    assert MaxIterations(10).met(Progress(iterations=iterations)) is met


@pytest.mark.parametrize(("evaluations", "met"), [(999, False), (1000, True), (1001, True)])
def test_max_evaluations_is_met_at_the_budget(evaluations: int, met: bool) -> None:
    assert MaxEvaluations(1000).met(Progress(evaluations=evaluations)) is met


@pytest.mark.parametrize(("since_better", "met"), [(4, False), (5, False), (6, True)])
def test_no_improvement_allows_exactly_its_patience(since_better: int, met: bool) -> None:
    # Patience 5: five iterations without a better seating are still allowed, the sixth is one too many.
    assert NoImprovement(5).met(Progress(since_better=since_better)) is met


def test_no_improvement_ignores_the_other_counters() -> None:
    assert not NoImprovement(5).met(Progress(iterations=100, evaluations=10**6, since_better=0))


def test_deterministic_time_is_never_met_here() -> None:
    # CP-SAT enforces its own work budget; between chunks of local search it says nothing.
    assert not DeterministicTime(0.0).met(Progress(iterations=10**9, evaluations=10**9, violations=0))


@pytest.mark.parametrize(("violations", "met"), [(0, True), (1, False), (7, False)])
def test_valid_is_met_only_without_violations(violations: int, met: bool) -> None:
    assert Valid().met(Progress(violations=violations)) is met


@pytest.mark.parametrize(
    ("violations", "objective", "met"),
    [
        (0, 99.0, False),  # valid, below the target
        (0, 100.0, True),  # valid, at the target
        (0, 101.0, True),
        (1, 1000.0, False),  # a high score of an invalid seating proves nothing
    ],
)
def test_target_needs_a_valid_seating_at_the_objective(violations: int, objective: float, met: bool) -> None:
    assert Target(100.0).met(Progress(violations=violations, objective=objective)) is met


def test_default_progress_is_an_invalid_seating_that_has_done_nothing() -> None:
    # What Stop.met() assumes without progress: no criterion about work, validity or score is met.
    progress = Progress()
    assert (progress.iterations, progress.evaluations, progress.since_better) == (0, 0, 0)
    assert progress.violations > 0
    assert progress.objective == -math.inf


# Combinations


def test_an_empty_stop_never_stops() -> None:
    stop = Stop()
    assert not stop.met()
    assert not stop.met(Progress(iterations=10**9, violations=0, objective=10**9))


def test_stop_is_met_when_any_criterion_is() -> None:
    stop = Stop(MaxIterations(10), Valid())
    assert not stop.met(Progress(iterations=5, violations=2))
    assert stop.met(Progress(iterations=10, violations=2))  # the budget alone
    assert stop.met(Progress(iterations=5, violations=0))  # validity alone


def test_met_without_progress_reads_only_clock_and_events() -> None:
    assert Stop(passed()).met()
    assert Stop(Interrupted(set_event())).met()
    assert not Stop(in_an_hour(), MaxEvaluations(1), Valid()).met()


def test_or_appends_a_criterion_or_another_stops_criteria_in_order() -> None:
    first, second, third = MaxIterations(1), Valid(), MaxEvaluations(2)
    combined = Stop(first) | second
    assert combined.criteria == (first, second)
    assert (combined | Stop(third, second)).criteria == (first, second, third, second)
    # `|` makes a new Stop: the one it started from is unchanged.
    assert combined.criteria == (first, second)


def test_of_lists_the_criteria_of_one_kind() -> None:
    early, late = MaxIterations(5), MaxIterations(50)
    stop = Stop(early, Valid(), late)
    assert stop.of(MaxIterations) == [early, late]
    assert stop.of(Deadline) == []


# What a Stop hands on


def test_seconds_left_is_until_the_earliest_deadline() -> None:
    stop = Stop(Deadline(time.perf_counter() + 2 * HOUR), Deadline(time.perf_counter() + HOUR), Valid())
    assert HOUR - 1 < stop.seconds_left() <= HOUR


def test_seconds_left_is_zero_once_a_deadline_passed() -> None:
    assert (Stop(in_an_hour()) | passed()).seconds_left() == 0.0


def test_seconds_left_is_infinite_without_a_deadline() -> None:
    assert Stop().seconds_left() == math.inf
    assert Stop(MaxIterations(3), DeterministicTime(1.0)).seconds_left() == math.inf


def test_seconds_left_is_zero_once_interrupted_even_with_time_left() -> None:
    event = threading.Event()
    stop = Stop(in_an_hour(), Interrupted(event))
    assert stop.seconds_left() > 0
    assert not stop.interrupted()
    event.set()
    assert stop.seconds_left() == 0.0
    assert stop.interrupted()
    # Without a deadline too: an interrupt leaves no time, not infinite time.
    assert Stop(Interrupted(event)).seconds_left() == 0.0


def test_interrupted_is_false_without_an_interrupt_criterion() -> None:
    assert not Stop(passed()).interrupted()


def test_budgets_are_none_without_their_criterion() -> None:
    stop = Stop(in_an_hour(), Valid())
    assert stop.max_evaluations() is None
    assert stop.max_iterations() is None
    assert stop.deterministic_time() is None
    assert stop.target() is None


def test_budgets_are_the_tightest_of_their_kind() -> None:
    stop = Stop(
        MaxEvaluations(500), MaxIterations(70), DeterministicTime(3.5), Target(40.0),
        MaxEvaluations(200), MaxIterations(90), DeterministicTime(1.5), Target(30.0),
    )  # fmt: skip
    assert stop.max_evaluations() == 200
    assert stop.max_iterations() == 70
    assert stop.deterministic_time() == 1.5
    # The lower target is the one that stops first: a valid 35 meets Target(30) but not Target(40).
    assert stop.target() == 30.0
    assert stop.met(Progress(violations=0, objective=35.0))


def test_budgets_agree_with_met() -> None:
    # The budget a Stop hands on is exactly where its own `met` turns true.
    stop = Stop(MaxIterations(70), MaxIterations(90), MaxEvaluations(500), MaxEvaluations(200))
    iterations, evaluations = stop.max_iterations(), stop.max_evaluations()
    assert iterations is not None and evaluations is not None
    assert not stop.met(Progress(iterations=iterations - 1, evaluations=evaluations - 1))
    assert stop.met(Progress(iterations=iterations))
    assert stop.met(Progress(evaluations=evaluations))


def test_until_valid_says_whether_valid_is_a_criterion() -> None:
    assert Stop(Valid()).until_valid()
    assert (Stop(MaxIterations(3)) | Valid()).until_valid()
    assert not Stop(MaxIterations(3), Target(0.0)).until_valid()
    assert not Stop().until_valid()
