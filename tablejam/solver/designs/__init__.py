"""Zero-repeat golfer schedules from classical combinatorial designs.

`golfer_design(g, p, w)` returns w rounds of g groups of p in which no pair meets twice, from the
first source that has them: a formula (round-robin, affine geometries and planes, transversal designs
from MOLS, Kirkman triple systems KTS(3q), resolvable BIBD(3q+1, 4, 1)), the catalogue of cyclic base
rounds found offline, or, until a deadline, a live cyclic search with CP-SAT. `most_rounds(g, p)` says
how many rounds are available instantly, and `design_violations` is the independent referee.
Past the counting bound on rounds, `golfer.covering_design` looks for rounds holding exactly the repeats
counting forces.
"""

from tablejam.solver.designs.design import Design, design_violations, is_golfer_design
from tablejam.solver.designs.golfer import UNLIMITED, DesignWarning, counting_bound, golfer_design, most_rounds

__all__ = [
    "UNLIMITED",
    "Design",
    "DesignWarning",
    "counting_bound",
    "design_violations",
    "golfer_design",
    "is_golfer_design",
    "most_rounds",
]
