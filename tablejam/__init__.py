"""tablejam: plans multi-round networking events with CP-SAT.

The Python API for in-process callers:

    import tablejam
    instance = tablejam.load_instance("event.toml")      # or tablejam.Instance.model_validate(data)
    schedule = tablejam.solve(instance, tablejam.SolverSettings(time_limit=10))
    report = tablejam.check(instance, schedule)          # report.valid, report.violations, report.stats

Bad input raises tablejam.InputError (a TablejamError); infeasible and time-outs are statuses.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("tablejam")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

# The module tablejam/check.py shares the function's name: importing the function here, once and first,
# keeps `tablejam.check` the function (a later import of the module does not rebind the attribute).
from tablejam.check import check

# Loaded on first use, so that `tablejam schema` or `--version` do not pay for importing the solver.
_API = {
    "solve": "tablejam.solver",
    "load_instance": "tablejam.files",
    "load_schedule": "tablejam.files",
    "Instance": "tablejam.models",
    "Schedule": "tablejam.models",
    "SolverSettings": "tablejam.models",
    "TablejamError": "tablejam.errors",
    "InputError": "tablejam.errors",
}

__all__ = ["__version__", "check", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'tablejam' has no attribute '{name}'")
