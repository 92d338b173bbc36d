"""The printable report: one self-contained HTML page (inline CSS and SVG, no script, nothing fetched)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from tablejam import __version__
from tablejam.models.schedule import Stats
from tablejam.reports.matrix import REPEAT_COLOUR, matrix_svg, round_colours, sector_colours
from tablejam.reports.views import EventView


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


def html_text(view: EventView) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(
        view=view,
        instance=view.instance,
        schedule=view.schedule,
        stats=view.stats.model_dump(),
        stat_labels=Stats.labels(),
        round_colours=round_colours(view.instance.rounds),
        sector_colours=sector_colours(view.sectors),
        repeat_colour=REPEAT_COLOUR,
        matrix=matrix_svg(view),
        signs=[table for table in view.tables if table.seated],
        version=__version__,
    )
