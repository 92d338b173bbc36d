"""What the page shows and hands out: the report's own sections and the exports, from the instance and a schedule.

Both go through the checker and the report's views (reports/views.py, reports/html.py, reports/export.py): the page
shows what the printed report shows, and a download is what `tablejam export` writes.
"""

from __future__ import annotations

import io
import mimetypes
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tablejam.check import check
from tablejam.models.instance import Instance
from tablejam.models.schedule import Schedule
from tablejam.reports.export import FORMATS, build_view, export_files
from tablejam.reports.html import html_sections
from tablejam.web.errors import ApiError

CODE_VIOLATIONS = 1  # the CLI's exit code when `export` refuses a schedule that breaks rules


def verdict(instance: Instance, schedule: Schedule) -> dict[str, Any]:
    """The checker's verdict, as `tablejam check --format json` prints it."""
    report = check(instance, schedule)
    return {
        "valid": report.valid,
        "violations": [violation.as_dict() for violation in report.violations],
        "stats": report.stats.model_dump() if report.stats else None,
    }


def plan_view(instance: Instance, schedule: Schedule) -> dict[str, Any]:
    """The verdict and, for a valid schedule, the report's sections as HTML (a schedule breaking rules has no
    report: the page keeps showing its plan and says what is broken)."""
    report = check(instance, schedule)
    answer = verdict(instance, schedule)
    answer["sections"] = html_sections(build_view(instance, schedule, report)) if report.valid else None
    return answer


def export_formats() -> tuple[str, ...]:
    """What the page offers to download: every format of `tablejam export` (breakout rooms: one CSV per round,
    zipped by `download`)."""
    return FORMATS


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    data: bytes


def download(instance: Instance, schedule: Schedule, fmt: str) -> Download:
    """The export `fmt` of a valid schedule; several files (CSV: three tables) come as one zip."""
    if fmt not in export_formats():
        raise ApiError(400, f"unknown format '{fmt}' (expected {', '.join(export_formats())})", "to")
    report = check(instance, schedule)
    if not report.valid:
        listed = "; ".join(violation.message for violation in report.violations[:5])
        raise ApiError(422, f"the schedule breaks rules of the instance, so nothing is exported: {listed}",
                       "schedule", CODE_VIOLATIONS)  # fmt: skip
    stem = _file_stem(instance.name)
    # The breakout export writes a folder (-o DIR); every other format names a file.
    target = Path(f"{stem}-breakout-rooms") if fmt == "breakout" else Path(f"{stem}.{fmt}")
    files = export_files(instance, schedule, report, fmt, target)  # type: ignore[arg-type]
    if len(files) == 1:
        [(path, data)] = files.items()
        return Download(path.name, mimetypes.guess_type(path.name)[0] or "application/octet-stream", data)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path, data in files.items():
            bundle.writestr(PurePosixPath(*path.parts).as_posix(), data)
    return Download(f"{stem}-{fmt}.zip", "application/zip", archive.getvalue())


def _file_stem(name: str) -> str:
    """'Monthly Jam, October 2026' -> 'monthly-jam-october-2026-plan': safe on every system."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")
    return f"{words}-plan" if words else "plan"
