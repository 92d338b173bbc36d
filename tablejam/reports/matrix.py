"""The who-met-whom matrix as inline SVG, and the colours the report shares with it.

Participants are ordered by sector, then by name. Only pairs that met are drawn (one square on each side of the
diagonal), so 500 participants meeting ~20 people each give ~10,000 squares, not 250,000.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from tablejam.reports.views import EventView

CELL = 12  # side of one square, in SVG units; the picture is scaled to the page width
FONT = 9
BAND = 6  # width of the sector colour band between the names and the squares
MAX_LABEL = 26  # longer names are shortened in the picture (the cards have them whole)
MAX_SECTOR_LABEL = 16
CHAR_WIDTH = 0.58  # average width of a character of the sans-serif font, in font sizes

# Viridis (perceptually uniform, readable by the colour-blind, ordered in grey too): early rounds dark.
_VIRIDIS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]
_LAST_ROUND_SHADE = 0.85  # stop before the brightest yellow, which the white complementary dot would vanish on
REPEAT_COLOUR = "#d62728"


def round_colours(rounds: int) -> list[str]:
    """One colour per round, from dark (round 1) to light (the last round)."""
    if rounds == 1:
        return [_VIRIDIS[0]]
    return [_interpolate(_VIRIDIS, _LAST_ROUND_SHADE * k / (rounds - 1)) for k in range(rounds)]


def sector_colours(sectors: tuple[str, ...]) -> dict[str, str]:
    """Light, well-separated hues (the golden angle apart) for sectors; grey for 'no sector' ('')."""
    colours = {}
    for k, sector in enumerate(name for name in sectors if name):
        colours[sector] = f"hsl({(200 + 137.508 * k) % 360:.0f} 60% 72%)"
    colours[""] = "#d9d9d9"
    return colours


def _interpolate(stops: list[str], t: float) -> str:
    position = t * (len(stops) - 1)
    k = min(int(position), len(stops) - 2)
    share = position - k
    low, high = _rgb(stops[k]), _rgb(stops[k + 1])
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"


def matrix_svg(view: EventView) -> Markup:
    """The matrix: square (i, j) coloured by the round i and j first met, a cross on repeats, a dot on complementary
    new pairs, sector bands and names along both sides."""
    people = view.by_sector
    n = len(people)
    sectors = sector_colours(view.sectors)
    fills = round_colours(view.instance.rounds)
    # A large matrix is shrunk to the page width; the sector labels, bands and lines grow with it to stay readable
    # (names cannot: each has one row). Up to ~60 participants nothing grows.
    grow = max(1.0, n * CELL / 700)
    sector_font = FONT * 1.2 * grow
    band = round(BAND * grow)
    longest_sector = min(MAX_SECTOR_LABEL, max(len(s or "no sector") for s in view.sectors))
    sector_width = round(longest_sector * sector_font * CHAR_WIDTH)
    name_width = round(min(MAX_LABEL, max(len(p.label) for p in people)) * FONT * CHAR_WIDTH)
    origin = sector_width + 8 + name_width + 4 + band + 2  # where the squares start, on both axes
    size = origin + n * CELL + 2
    position = {person.id: k for k, person in enumerate(people)}

    parts = [
        # As wide as the page allows, but a small matrix is not blown up beyond 1.5 px per unit.
        f'<svg class="matrix" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'style="max-width: {round(size * 1.5)}px" font-family="sans-serif" font-size="{FONT}" fill="#222" role="img" '
        f'aria-label="Who met whom: {n} participants by sector">',
        "<style>",
        *(f".matrix .r{k}{{fill:{colour}}}" for k, colour in enumerate(fills, start=1)),
        f".matrix .rep{{stroke:{REPEAT_COLOUR};stroke-width:2.4;stroke-linecap:round}}",
        ".matrix .cmp{fill:#fff;stroke:#111;stroke-width:.9}",
        "</style>",
        f'<rect x="{origin}" y="{origin}" width="{n * CELL}" height="{n * CELL}" fill="#f1f1f1"/>',
    ]

    start = 0
    for sector in view.sectors:
        members = sum(1 for person in people if (person.sector or "") == sector)
        low, extent = origin + start * CELL, members * CELL
        font = max(FONT, min(sector_font, extent))  # a small group's label must not run into the next one
        middle = low + extent / 2 + font * 0.35
        label = escape(_shorten(sector or "no sector", MAX_SECTOR_LABEL))
        inner = origin - band - 2
        parts += [
            f'<rect x="{inner}" y="{low}" width="{band}" height="{extent}" fill="{sectors[sector]}"/>',
            f'<rect x="{low}" y="{inner}" width="{extent}" height="{band}" fill="{sectors[sector]}"/>',
            f'<text x="2" y="{middle:.1f}" font-size="{font:.1f}">{label}</text>',
            f'<text transform="translate({middle:.1f} {sector_width + 2}) rotate(-90)" font-size="{font:.1f}">'
            f"{label}</text>",
        ]
        if start:  # a line between two sectors, across the whole matrix
            parts.append(
                f'<path d="M{origin} {low}h{n * CELL}M{low} {origin}v{n * CELL}" stroke="#777" '
                f'stroke-width="{0.8 * grow:.1f}"/>'
            )
        start += members

    name_end = origin - band - 6
    for k, person in enumerate(people):
        label = escape(_shorten(person.label, MAX_LABEL))
        baseline = origin + k * CELL + CELL * 0.75
        parts += [
            f'<text x="{name_end}" y="{baseline:.1f}" text-anchor="end">{label}</text>',
            f'<text transform="translate({baseline:.1f} {name_end}) rotate(-90)">{label}</text>',
        ]

    for pair, met in view.pairs.items():
        a, b = sorted(position[pid] for pid in pair)
        for row, column in ((a, b), (b, a)):
            x, y = origin + column * CELL, origin + row * CELL
            parts.append(f'<rect x="{x}" y="{y}" width="{CELL - 1}" height="{CELL - 1}" class="r{met.first_round}"/>')
            if met.repeat:
                parts.append(f'<path class="rep" d="M{x + 3} {y + 3}l5 5m0-5l-5 5"/>')
            elif met.complementary:
                parts.append(f'<circle class="cmp" cx="{x + 5.5}" cy="{y + 5.5}" r="2.4"/>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
