"""Pricing: the best group of one kind of table under the master's duals, by branch and bound (numba).

The pricing problem of column generation for grouping problems is a maximum-weight clique-like problem with
size limits: max over groups g of sum_{i<j in g} w_ij - sum_{i in g} pi_i, with lo <= |g| <= hi, some people
forced in (hosts), at most cap[s] people of sector s, and pairs with w = -inf kept apart. A depth-first branch
and bound over people in a fixed order, bounded the way maximum diversity and quadratic knapsack solvers bound
(each pair's weight counted half by each of its people), solves it exactly on tables of up to 6-8; with a node
budget it stops early with an upper bound that is still valid, which is all the Lagrangian bound needs.

Kept in its own module so that numba's on-disk cache survives edits to the column generation around it. The
kernels release the GIL: the column generation runs in a thread of its own, and the caller's thread must stay
free to hear signals and to interrupt it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from tablejam.solver.kernel_cache import CACHED


@njit(cache=CACHED, nogil=True)
def _suffix_tops(w: np.ndarray, most: int) -> np.ndarray:
    """tops[s, q, k]: the sum of the k largest finite w[q, x] over x >= s, x != q (-inf when there are fewer than k).

    At a node whose remaining people come from positions >= s, q's partners among them are worth at most this."""
    m = w.shape[0]
    tops = np.full((m + 1, m, most + 1), -np.inf)
    top = np.empty(most + 1)
    for q in range(m):
        size = 0
        tops[m, q, 0] = 0.0
        for s in range(m - 1, -1, -1):
            value = w[q, s]
            if s != q and value > -np.inf:
                # insertion into the descending list top[:size], kept at `most` entries
                k = -1
                if size < most:
                    k = size
                    size += 1
                elif most > 0 and value > top[most - 1]:
                    k = most - 1
                if k >= 0:
                    while k > 0 and top[k - 1] < value:
                        top[k] = top[k - 1]
                        k -= 1
                    top[k] = value
            tops[s, q, 0] = 0.0
            total = 0.0
            for k in range(size):
                total += top[k]
                tops[s, q, k + 1] = total
    return tops


@njit(cache=CACHED, nogil=True)
def _top_total(scores: np.ndarray, usable: np.ndarray, start: int, m: int, buffer: np.ndarray) -> float:
    """The sum of the m largest scores[q] over usable q >= start; -inf when fewer than m are usable."""
    if m == 0:
        return 0.0
    size = 0
    for q in range(start, scores.shape[0]):
        if not usable[q]:
            continue
        value = scores[q]
        if size < m:
            k = size
            size += 1
        elif value > buffer[m - 1]:
            k = m - 1
        else:
            continue
        while k > 0 and buffer[k - 1] < value:
            buffer[k] = buffer[k - 1]
            k -= 1
        buffer[k] = value
    if size < m:
        return -np.inf
    total = 0.0
    for k in range(m):
        total += buffer[k]
    return total


@njit(cache=CACHED, nogil=True)
def _node_bound(
    f: float,
    size: int,
    gains: np.ndarray,
    usable: np.ndarray,
    start: int,
    lo: int,
    hi: int,
    tops: np.ndarray,
    scores: np.ndarray,
    buffer: np.ndarray,
) -> float:
    """An upper bound on the best group that extends a partial group (value f, `size` people) with people at
    positions >= start: for m more people T, sum_{q in T} gain_q + sum_{qq' in T} w_qq' is at most the m largest
    of gain_q + (q's m-1 best partners at positions >= start) / 2, each pair being counted half by each person."""
    best = f if size >= lo else -np.inf
    for m in range(max(1, lo - size), hi - size + 1):
        for q in range(start, gains.shape[0]):
            if usable[q]:
                scores[q] = gains[q] + 0.5 * tops[start, q, m - 1]
        total = _top_total(scores, usable, start, m, buffer)
        if f + total > best:
            best = f + total
    return best


@njit(cache=CACHED, nogil=True)
def best_groups(
    w: np.ndarray,
    pi: np.ndarray,
    sector: np.ndarray,
    cap: np.ndarray,
    lo: int,
    hi: int,
    forced: int,
    threshold: float,
    budget: int,
    keep: int,
) -> tuple[float, float, np.ndarray, np.ndarray, int]:
    """max over groups g of sum_{i<j in g} w_ij - sum_{i in g} pi_i, with lo <= |g| <= hi, the first `forced`
    people in every group, at most cap[s] of sector s (sector -1: none), and no pair with w = -inf.

    Returns (best value found, upper bound on the best value, groups, their values, nodes): up to `keep` groups
    worth more than `threshold`, best first, as rows of indices padded with -1. The upper bound is valid also
    when the node budget runs out: every level of the search then adds the bound of the children it has not
    tried; and every subtree pruned was bounded by the cutoff (the threshold, or the keep-th best group)."""
    m = w.shape[0]
    nsec = cap.shape[0]
    groups = np.full((keep, hi), -1, dtype=np.int64)
    values = np.full(keep, -np.inf)
    found = 0
    # The forced people: their own value, and what each other person gains with them.
    f0 = 0.0
    counts0 = np.zeros(nsec, dtype=np.int64)
    for a in range(forced):
        f0 -= pi[a]
        if sector[a] >= 0:
            counts0[sector[a]] += 1
        for b in range(a):
            f0 += w[a, b]
    if forced > hi or np.isinf(f0):
        return -np.inf, -np.inf, groups[:0], values[:0], 0
    for s in range(nsec):
        if counts0[s] > cap[s]:
            return -np.inf, -np.inf, groups[:0], values[:0], 0
    free = m - forced
    g0 = np.empty(free)
    for q in range(free):
        g0[q] = -pi[forced + q]
        for a in range(forced):
            g0[q] += w[a, forced + q]
    most = max(0, hi - forced - 1)
    # People in order of their root bound (best first): good groups early, weak tails pruned early.
    all_tops = _suffix_tops(np.ascontiguousarray(w[forced:, forced:]), most)
    root = np.empty(free)
    for q in range(free):
        root[q] = g0[q] + 0.5 * all_tops[0, q, most]
    order = np.argsort(-root)
    wo = np.empty((free, free))
    for a in range(free):
        for b in range(free):
            wo[a, b] = w[forced + order[a], forced + order[b]]
    tops = _suffix_tops(wo, most)
    so = np.empty(free, dtype=np.int64)
    for a in range(free):
        so[a] = sector[forced + order[a]]

    levels = hi - forced + 1
    gains = np.empty((levels, free))
    counts = np.zeros((levels, nsec), dtype=np.int64)
    usable = np.zeros((levels, free), dtype=np.bool_)
    value = np.empty(levels)
    chosen = np.empty(levels, dtype=np.int64)
    position = np.zeros(levels, dtype=np.int64)
    scores = np.empty(free)
    buffer = np.empty(hi + 1)
    for q in range(free):
        gains[0, q] = g0[order[q]]
        usable[0, q] = gains[0, q] > -np.inf and (so[q] < 0 or counts0[so[q]] < cap[so[q]])
    counts[0] = counts0
    value[0] = f0

    best = -np.inf
    cutoff = threshold  # a group must beat this to be kept; a node whose bound does not is pruned
    if forced >= lo:  # the forced people alone
        best = f0
        if f0 > cutoff:
            for a in range(forced):
                groups[0, a] = a
            values[0] = f0
            found = 1
    root_bound = _node_bound(f0, forced, gains[0], usable[0], 0, lo, hi, tops, scores, buffer)
    if root_bound <= cutoff or forced >= hi:
        return best, max(best, root_bound), groups[:found], values[:found], 0
    upper = -np.inf  # bounds of subtrees left unexplored when the budget ran out
    nodes = 0
    depth = 0
    while depth >= 0:
        size = forced + depth
        if nodes >= budget:
            # Out of budget: each open level is bounded by its untried children (positions >= position[d]).
            for d in range(depth, -1, -1):
                bound = _node_bound(
                    value[d], forced + d, gains[d], usable[d], position[d], lo, hi, tops, scores, buffer
                )
                if bound > upper:
                    upper = bound
            break
        q = position[depth]
        if q >= free or size >= hi:
            depth -= 1
            continue
        position[depth] = q + 1
        if not usable[depth, q]:
            continue
        nodes += 1
        child = value[depth] + gains[depth, q]
        chosen[depth] = q
        if size + 1 >= lo:
            if child > best:
                best = child
            if child > cutoff and (found < keep or child > values[keep - 1]):
                # keep the group among the `keep` best (values descending)
                k = found if found < keep else keep - 1
                while k > 0 and values[k - 1] < child:
                    values[k] = values[k - 1]
                    groups[k] = groups[k - 1]
                    k -= 1
                values[k] = child
                groups[k, :] = -1
                for a in range(forced):
                    groups[k, a] = a
                for d in range(depth + 1):
                    groups[k, forced + d] = forced + order[chosen[d]]
                if found < keep:
                    found += 1
                if found == keep and values[keep - 1] > cutoff:
                    cutoff = values[keep - 1]
        if size + 1 >= hi:
            continue
        # Descend: gains and usable people after q.
        d1 = depth + 1
        for s in range(nsec):
            counts[d1, s] = counts[depth, s]
        if so[q] >= 0:
            counts[d1, so[q]] += 1
        for x in range(q + 1, free):
            gains[d1, x] = gains[depth, x] + wo[q, x]
            room = so[x] < 0 or counts[d1, so[x]] < cap[so[x]]
            usable[d1, x] = usable[depth, x] and gains[d1, x] > -np.inf and room
        value[d1] = child
        bound = _node_bound(child, size + 1, gains[d1], usable[d1], q + 1, lo, hi, tops, scores, buffer)
        if bound > cutoff:
            depth = d1
            position[d1] = q + 1
    return best, max(best, cutoff, upper), groups[:found], values[:found], nodes


def ready() -> bool:
    """Whether the pricing kernel is loaded or in numba's on-disk cache (if not, its first call compiles it, some
    seconds that no bound's budget should pay)."""
    if best_groups.signatures:
        return True
    try:
        return bool(best_groups._cache._cache_file._load_index())  # numba internals: a stale index loads as {}
    except Exception:  # any change in numba's internals: assume a compile is due
        return False


def warm_up() -> None:
    """Compile the pricing kernel now (or load it from the cache): the best pair of three people."""
    w = np.array([[-np.inf, 1.0, 2.0], [1.0, -np.inf, 3.0], [2.0, 3.0, -np.inf]])
    best_groups(w, np.zeros(3), np.full(3, -1, dtype=np.int64), np.ones(1, dtype=np.int64), 2, 2, 0, 0.0, 100, 1)
