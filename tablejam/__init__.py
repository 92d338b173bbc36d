"""tablejam: plans multi-round networking events with CP-SAT."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tablejam")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
