"""tablejam's own exceptions: only bad input or misuse raise; infeasible and time-outs are statuses."""

from __future__ import annotations


class TablejamError(Exception):
    """Base of every error tablejam raises on purpose."""


class InputError(TablejamError):
    """Bad input: a file that cannot be read, parsed or validated. `where` names the file or field."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InternalError(TablejamError):
    """A bug in tablejam, e.g. a schedule the checker rejects. Never the user's fault."""
