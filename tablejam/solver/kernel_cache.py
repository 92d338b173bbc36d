"""Where numba keeps the compiled local-search kernels, so that every solve on a machine shares one compile.

numba caches beside the source (`__pycache__`) when the package folder is writable, else in the user's
cache folder; when neither can be written it refuses to decorate the kernels at all, and importing the
local search fails. tablejam must run from a read-only install (a container image) and for users without a
writable home, so the folder is chosen here before any kernel is decorated:

1. NUMBA_CACHE_DIR, when the caller set it (an embedding service points it at a writable volume);
2. beside the source, when the package folder is writable and not an installed package (a development
   checkout). Never inside site-packages: pip does not own files written there, so uninstalling left a
   `tablejam` folder of compiled kernels behind, and that folder (a namespace package to Python) hid a later
   editable install from `python -m tablejam.cli` run elsewhere: the README's two first commands, run in one
   environment, did exactly that;
3. `$XDG_CACHE_HOME/tablejam/numba` (by default `~/.cache/tablejam/numba`), when it can be written (numba
   keeps each source file's kernels apart by its full path, so several installs share it safely);
4. nowhere: every process then compiles for itself, in the background while the solve goes on without the
   local search (see `local_search.search_ready`), and no solve fails for want of a cache.

The choice is passed on in NUMBA_CACHE_DIR, so the worker processes a solve or `compare` starts share it.
Processes that find the cache empty at once (parallel solves, `compare` workers) compile one at a time
(`compiling_alone`): the first compiles and saves, the others then load what it saved.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

SOURCE_FOLDER = Path(__file__).resolve().parent  # where the kernels' source is
LOCK_NAME = "tablejam-compile.lock"


def writable(folder: Path) -> bool:
    """Whether files can be created in `folder` (made if missing), tested as numba tests it: by writing one."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def installed(folder: Path) -> bool:
    """Whether `folder` is inside an installed package (pip's site-packages, Debian's dist-packages)."""
    return any(part in ("site-packages", "dist-packages") for part in folder.parts)


def user_cache_folder() -> Path:
    """The per-user cache folder for compiled kernels (XDG base directories, as numba's own user cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tablejam" / "numba"


def choose() -> Path | None:
    """The folder the compiled kernels go to (see the module's docstring), the first of them that can be written;
    None: no cache. Tells numba (NUMBA_CACHE_DIR, and its configuration if it was imported before)."""
    given = os.environ.get("NUMBA_CACHE_DIR")
    in_tree = SOURCE_FOLDER / "__pycache__"
    candidates = [Path(given)] if given else []
    if not installed(SOURCE_FOLDER):
        candidates.append(in_tree)
    chosen = next((folder for folder in [*candidates, user_cache_folder()] if writable(folder)), None)
    # Beside the source is numba's own default; any other folder (or none) it must be told.
    told = None if chosen == in_tree else chosen
    if told is not None:
        os.environ["NUMBA_CACHE_DIR"] = str(told)
    else:
        os.environ.pop("NUMBA_CACHE_DIR", None)
    with contextlib.suppress(ImportError):
        from numba.core import config

        config.CACHE_DIR = str(told or "")
    return chosen


FOLDER = choose()  # once per process, before local_search decorates its kernels
CACHED = FOLDER is not None


@contextlib.contextmanager
def compiling_alone() -> Iterator[None]:
    """Held while compiling: another process compiling into the same cache makes this one wait, and then load
    its result instead of compiling again. Without a cache or file locks (Windows), no waiting."""
    if FOLDER is None:
        yield
        return
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        lock = open(FOLDER / LOCK_NAME, "a")  # noqa: SIM115  (held across the yield)
    except OSError:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
