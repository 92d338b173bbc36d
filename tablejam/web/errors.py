"""The error object the CLI prints with --format json, `{"error": {"code", "message", "where"}}`, as HTTP answers.

`code` is the CLI's exit code where the CLI has one (2: invalid input or usage); the server adds two of its own,
taken from sysexits.h as the CLI's codes would be: 75 busy (try again later), 70 a bug in tablejam.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tablejam.errors import InputError

CODE_INPUT = 2  # the CLI's exit code for invalid input or usage
CODE_INTERNAL = 70  # EX_SOFTWARE
CODE_BUSY = 75  # EX_TEMPFAIL


class ErrorDetail(BaseModel):
    code: int = Field(description="2 invalid input or usage (as the CLI's exit code), 75 busy, 70 a bug in tablejam.")
    message: str = Field(description="What is wrong, in words, naming the field and value where it can.")
    where: str = Field(description="The file, field or request part concerned ('' when none).")


class ErrorBody(BaseModel):
    """Every failure is answered with this object, the one `tablejam ... --format json` prints."""

    error: ErrorDetail


class ApiError(Exception):
    """An answer other than success: HTTP status, the error object, and headers (e.g. Retry-After)."""

    def __init__(
        self, status: int, message: str, where: str = "", code: int = CODE_INPUT, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.where = where
        self.code = code
        self.headers = headers or {}

    @classmethod
    def from_input(cls, error: InputError, status: int = 400) -> ApiError:
        return cls(status, error.message, error.where)

    def body(self) -> dict[str, dict[str, object]]:
        return ErrorBody(error=ErrorDetail(code=self.code, message=self.message, where=self.where)).model_dump()


def busy(running: int, queued: int) -> ApiError:
    return ApiError(
        503,
        f"busy: {running} solve(s) running and {queued} waiting, as many as this server takes; try again shortly",
        "server",
        CODE_BUSY,
        {"Retry-After": "5"},
    )
