"""The printable report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from tablejam import __version__
from tablejam.models.schedule import Stats
from tablejam.reports.matrix import REPEAT_COLOUR, matrix_svg, round_colours, sector_colours
from tablejam.reports.views import EventView

TEMPLATE = "report.html.j2"
# The report's sections, in page order: each is a block of the template that can be rendered on its own.
SECTIONS = ("overview", "plan", "sectors", "matrix", "cards", "signs")


def _environment() -> Environment:
    # Autoescape everything: names, companies and tags are typed by participants and may hold <, & or quotes.
    environment = Environment(
        loader=PackageLoader("tablejam.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt field fails the export instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["number"] = _number
    return environment


def _number(value: float | int | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _template() -> Template:
    return _environment().get_template(TEMPLATE)


def _context(view: EventView) -> dict[str, Any]:
    return {
        "view": view,
        "instance": view.instance,
        "schedule": view.schedule,
        "stats": view.stats.model_dump(),
        "stat_labels": Stats.labels(),
        "round_colours": round_colours(view.instance.rounds),
        "sector_colours": sector_colours(view.sectors),
        "repeat_colour": REPEAT_COLOUR,
        "matrix": matrix_svg(view),
        "signs": [table for table in view.tables if table.seated],
        "version": __version__,
    }


def html_text(view: EventView) -> str:
    return _template().render(_context(view))


def html_sections(view: EventView, names: tuple[str, ...] = SECTIONS) -> dict[str, str]:
    """Sections of the report (names from SECTIONS) as HTML fragments, for a page that shows them in its own
    frame (`tablejam serve`): the same template, so the page and the printed report cannot differ."""
    template = _template()
    context = template.new_context(_context(view))
    return {name: "".join(template.blocks[name](context)) for name in names}


def report_style() -> str:
    """The report's CSS, for a page that shows its sections."""
    template = _template()
    return "".join(template.blocks["style"](template.new_context({"repeat_colour": REPEAT_COLOUR})))
