"""Exports: the exact content of the CSV files and the XLSX workbook, the HTML report's content, and the commands."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tablejam.check import check
from tablejam.cli import main
from tablejam.errors import InputError
from tablejam.files import load_instance, load_schedule, write_files_atomic
from tablejam.models import Instance, Schedule
from tablejam.reports.export import export_files
from tablejam.reports.views import build_view
from tests.conftest import BUSINESS_JAM, make_instance

ANNA = 'Anna <Dahl> & "Co"'
CELIK = "Çelik, Zoë"
FORMULA = '=HYPERLINK("http://x")'

# Six people, three tables of three, three rounds; names that must be escaped, quoted or kept from running as
# formulas. Repeats are allowed (minimised), so the schedule below is valid with two repeats.
SMALL_EVENT: dict[str, Any] = {
    "name": "Jam <&> Co",
    "rounds": 3,
    "tables": [{"id": "T1", "capacity": 3}, {"id": "T2", "capacity": 3}, {"id": "T3", "capacity": 3}],
    "rules": {"repeats": "minimise", "met_before": [["b", "d"]]},
    "participants": [
        {"id": "a", "name": ANNA, "sector": "fintech", "company": "Nordlicht", "offers": ["design"],
         "needs": ["funding"], "host": "T1"},
        {"id": "b", "name": "Ben", "sector": "health", "offers": ["funding"]},
        {"id": "c", "name": CELIK, "sector": "fintech"},
        {"id": "d", "name": FORMULA, "sector": "food", "needs": ["design"]},
        {"id": "e", "name": "Eve", "absent": [2]},
        {"id": "f", "name": "Émile"},
    ],
}  # fmt: skip

# Round 1: a b c | d e f.  Round 2: a b d | c f (e absent).  Round 3: a e | b f | c d.
# a and b meet again in round 2 (a repeat), b and d met before the event (a repeat); the other 11 pairs are new.
SMALL_PLAN: dict[str, Any] = {
    "format": "tablejam.schedule/1",
    "status": "feasible",
    "bound": 20,
    "rounds": [
        {"round": 1, "tables": [{"table": "T1", "participants": ["a", "b", "c"]},
                                {"table": "T2", "participants": ["d", "e", "f"]}, {"table": "T3", "participants": []}]},
        {"round": 2, "tables": [{"table": "T1", "participants": ["a", "b", "d"]},
                                {"table": "T2", "participants": ["c", "f"]}, {"table": "T3", "participants": []}]},
        {"round": 3, "tables": [{"table": "T1", "participants": ["a", "e"]},
                                {"table": "T2", "participants": ["b", "f"]},
                                {"table": "T3", "participants": ["c", "d"]}]},
    ],
}  # fmt: skip

ITINERARY_HEADER = [
    "participant", "name", "sector", "company", "round", "table", "hosting", "tablemates", "new_people",
    "repeat_with", "complementary", "complementary_with",
]  # fmt: skip

# c(a, b) = 1 (Ben offers the funding Anna needs), c(a, d) = 1 (d needs Anna's design); no other pair complements.
# In round 2 Ben is a repeat for Anna, so only d counts as new and complementary there.
ITINERARIES = [
    ["a", ANNA, "fintech", "Nordlicht", 1, "T1", "yes", f"Ben; {CELIK}", 2, "", 1, "Ben"],
    ["a", ANNA, "fintech", "Nordlicht", 2, "T1", "yes", f"Ben; {FORMULA}", 1, "Ben", 1, FORMULA],
    ["a", ANNA, "fintech", "Nordlicht", 3, "T1", "yes", "Eve", 1, "", 0, ""],
    ["b", "Ben", "health", "", 1, "T1", "", f"{ANNA}; {CELIK}", 2, "", 1, ANNA],
    ["b", "Ben", "health", "", 2, "T1", "", f"{ANNA}; {FORMULA}", 0, f"{ANNA}; {FORMULA}", 0, ""],
    ["b", "Ben", "health", "", 3, "T2", "", "Émile", 1, "", 0, ""],
    ["c", CELIK, "fintech", "", 1, "T1", "", f"{ANNA}; Ben", 2, "", 0, ""],
    ["c", CELIK, "fintech", "", 2, "T2", "", "Émile", 1, "", 0, ""],
    ["c", CELIK, "fintech", "", 3, "T3", "", FORMULA, 1, "", 0, ""],
    ["d", FORMULA, "food", "", 1, "T2", "", "Eve; Émile", 2, "", 0, ""],
    ["d", FORMULA, "food", "", 2, "T1", "", f"{ANNA}; Ben", 1, "Ben", 1, ANNA],
    ["d", FORMULA, "food", "", 3, "T3", "", CELIK, 1, "", 0, ""],
    ["e", "Eve", "", "", 1, "T2", "", f"{FORMULA}; Émile", 2, "", 0, ""],  # no row for round 2: Eve is absent
    ["e", "Eve", "", "", 3, "T1", "", ANNA, 1, "", 0, ""],
    ["f", "Émile", "", "", 1, "T2", "", f"{FORMULA}; Eve", 2, "", 0, ""],
    ["f", "Émile", "", "", 2, "T2", "", CELIK, 1, "", 0, ""],
    ["f", "Émile", "", "", 3, "T2", "", "Ben", 1, "", 0, ""],
]  # fmt: skip

TABLES_HEADER = [
    "round", "table", "capacity", "seated", "hosts", "participants", "sectors", "new_pairs", "repeat_pairs",
    "complementary",
]  # fmt: skip

TABLES = [
    [1, "T1", 3, 3, ANNA, f"{ANNA}; Ben; {CELIK}", "fintech 2; health 1", 3, 0, 1],
    [1, "T2", 3, 3, "", f"{FORMULA}; Eve; Émile", "no sector 2; food 1", 3, 0, 0],
    [1, "T3", 3, 0, "", "", "", 0, 0, 0],
    [2, "T1", 3, 3, ANNA, f"{ANNA}; Ben; {FORMULA}", "fintech 1; food 1; health 1", 1, 2, 1],
    [2, "T2", 3, 2, "", f"{CELIK}; Émile", "fintech 1; no sector 1", 1, 0, 0],
    [2, "T3", 3, 0, "", "", "", 0, 0, 0],
    [3, "T1", 3, 2, ANNA, f"{ANNA}; Eve", "fintech 1; no sector 1", 1, 0, 0],
    [3, "T2", 3, 2, "", "Ben; Émile", "health 1; no sector 1", 1, 0, 0],
    [3, "T3", 3, 2, "", f"{CELIK}; {FORMULA}", "fintech 1; food 1", 1, 0, 0],
]  # fmt: skip

# 11 new pairs + c(a,b) + c(a,d) - 10 x 2 repeats = -7; gap (20 - (-7)) / 20 = 1.35.
# New people: a 4, b 3, c 4, d 4, e 3, f 4 (22 / 6 = 3.6667). Cross-sector new pairs: ab, bc, ad, cd.
STATISTICS = [
    ["event", "Jam <&> Co"],
    ["participants", 6],
    ["tables", 3],
    ["rounds", 3],
    ["status", "feasible"],
    ["objective", -7.0],
    ["bound", 20.0],
    ["gap", 1.35],
    ["new_encounters", 11],
    ["repeat_meetings", 2],
    ["complementary_matches", 2],
    ["cross_sector_encounters", 4],
    ["min_new_per_participant", 3],
    ["max_new_per_participant", 4],
    ["mean_new_per_participant", 3.6667],
    ["wishes_granted", 0],
    ["wishes_broken", 0],
    ["meetings", 13],
]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    """The small event and its schedule as files."""
    instance, plan = tmp_path / "event.json", tmp_path / "plan.json"
    instance.write_text(json.dumps(SMALL_EVENT))
    plan.write_text(json.dumps(SMALL_PLAN))
    return instance, plan


def small_files(fmt: str, path: Path) -> dict[Path, bytes]:
    instance, schedule = Instance.model_validate(SMALL_EVENT), Schedule.model_validate(SMALL_PLAN)
    return export_files(instance, schedule, check(instance, schedule), fmt, path)  # type: ignore[arg-type]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def defused(rows: list[list[Any]]) -> list[list[Any]]:
    return [[f"'{cell}" if str(cell).startswith("=") else cell for cell in row] for row in rows]


def as_text(rows: list[list[Any]]) -> list[list[str]]:
    return [["" if cell is None else str(cell) for cell in row] for row in rows]


def test_csv_holds_itineraries_tables_and_statistics(tmp_path: Path) -> None:
    files = small_files("csv", tmp_path / "plan.csv")
    assert list(files) == [tmp_path / "plan.csv", tmp_path / "plan.tables.csv", tmp_path / "plan.stats.csv"]
    for data in files.values():
        assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark that makes Excel read UTF-8
        assert data.count(b"\r\n") == data.count(b"\n")  # CRLF line ends, as RFC 4180 and Excel expect
    itineraries = read_csv(files[tmp_path / "plan.csv"])
    # A spreadsheet would run a cell starting with '=' as a formula: it gets a leading apostrophe.
    assert itineraries == as_text([ITINERARY_HEADER, *defused(ITINERARIES)])
    tables = read_csv(files[tmp_path / "plan.tables.csv"])
    assert tables == as_text([TABLES_HEADER, *defused(TABLES)])
    stats = read_csv(files[tmp_path / "plan.stats.csv"])
    assert stats[0] == ["statistic", "value", "meaning"]
    assert [row[:2] for row in stats[1:]] == as_text(STATISTICS)
    assert stats[2] == ["participants", "6", "participants in the instance"]


def test_xlsx_sheets_hold_the_same_rows_with_types(tmp_path: Path) -> None:
    [(path, data)] = small_files("xlsx", tmp_path / "plan.xlsx").items()
    assert path == tmp_path / "plan.xlsx"
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Itineraries", "Tables", "Statistics"]
    sheets = {name: [list(row) for row in workbook[name].iter_rows(values_only=True)] for name in workbook.sheetnames}
    # Empty text comes back as None; numbers stay numbers; the formula-like name is plain text, unchanged.
    blank = [[None if cell == "" else cell for cell in row] for row in ITINERARIES]
    assert sheets["Itineraries"] == [ITINERARY_HEADER, *blank]
    assert sheets["Tables"] == [TABLES_HEADER, *[[None if cell == "" else cell for cell in row] for row in TABLES]]
    assert [row[:2] for row in sheets["Statistics"]] == [["statistic", "value"], *STATISTICS]

    itineraries = workbook["Itineraries"]
    assert itineraries["B11"].value == FORMULA and itineraries["B11"].data_type == "s"
    for worksheet in workbook:
        assert worksheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in worksheet[1])
    assert workbook["Statistics"]["B9"].number_format == "0.00%"  # the gap
    # Column widths follow the content: the longest tablemates are Anna's and d's names, 18 + 2 + 22 characters.
    assert itineraries.column_dimensions["H"].width == 42 + 2
    assert itineraries.column_dimensions["E"].width == len("round") + 2


def test_itineraries_add_up_to_the_checkers_statistics() -> None:
    """Per person and round, new people and complementary matches sum to the checker's figures (each pair twice)."""
    instance, schedule = Instance.model_validate(SMALL_EVENT), Schedule.model_validate(SMALL_PLAN)
    report = check(instance, schedule)
    view = build_view(instance, schedule, report)
    assert report.stats is not None
    assert sum(item.new for item in view.itineraries) == 2 * report.stats.new_encounters
    assert sum(item.complementary for item in view.itineraries) == 2 * report.stats.complementary_matches
    assert {item.person.id: item.new for item in view.itineraries} == report.new_per_participant
    assert sum(table.new_pairs for table in view.tables) == report.stats.new_encounters
    assert sum(table.repeat_pairs for table in view.tables) == report.stats.repeat_meetings


def test_table_counts_leave_out_a_together_pairs_meetings() -> None:
    """p1 and p2 sit together by rule in both rounds: their meetings are neither new nor repeats. p3 and p4 meet
    first in round 1 (one new pair at T2) and again in round 2 (one repeat at T2); nothing else meets."""
    rules = {"together": [["p1", "p2"]], "repeats": "minimise"}
    instance = make_instance(4, rounds=2, tables={"count": 2, "capacity": 2}, rules=rules)
    seating = [{"table": "T1", "participants": ["p1", "p2"]}, {"table": "T2", "participants": ["p3", "p4"]}]
    schedule = Schedule.model_validate(
        {"format": "tablejam.schedule/1", "status": "feasible",
         "rounds": [{"round": number, "tables": seating} for number in (1, 2)]}
    )  # fmt: skip
    report = check(instance, schedule)
    view = build_view(instance, schedule, report)
    assert report.valid
    assert [(table.round, table.table.id, table.new_pairs, table.repeat_pairs) for table in view.tables] == [
        (1, "T1", 0, 0), (1, "T2", 1, 0), (2, "T1", 0, 0), (2, "T2", 0, 1),
    ]  # fmt: skip
    assert report.stats is not None
    assert (report.stats.new_encounters, report.stats.repeat_meetings) == (1, 1)


def html_of(tmp_path: Path) -> str:
    [data] = small_files("html", tmp_path / "plan.html").values()
    return data.decode("utf-8")


def test_html_report_escapes_names_and_fetches_nothing(tmp_path: Path) -> None:
    html = html_of(tmp_path)
    assert "<Dahl>" not in html and "Jam <&>" not in html
    assert "Anna &lt;Dahl&gt; &amp; &#34;Co&#34;" in html
    assert "<title>Jam &lt;&amp;&gt; Co: seating plan</title>" in html
    # Self-contained: no script, stylesheet, image, font or frame to fetch; links only within the page.
    assert not re.search(r"<script|<link|<img|<iframe|src=|url\(|@import", html, re.IGNORECASE)
    assert set(re.findall(r'href="([^"]*)"', html)) == {"#plan", "#sectors", "#matrix", "#cards", "#signs"}
    assert html.count("@media print") == 1
    assert "break-after: page" in html


def test_html_report_has_a_card_per_participant_and_a_sign_per_occupied_table(tmp_path: Path) -> None:
    html = html_of(tmp_path)
    cards = re.findall(r'<article class="card">\s*<h3>(.*?)</h3>', html)
    # Alphabetical as printed lists are: '=' sorts first, Émile files under E (before Eve), Çelik under C.
    assert cards == ["=HYPERLINK(&#34;http://x&#34;)", "Anna &lt;Dahl&gt; &amp; &#34;Co&#34;", "Ben",
                     "Çelik, Zoë", "Émile", "Eve"]  # fmt: skip
    # 9 tables over 3 rounds, two of them empty (T3 in rounds 1 and 2): 7 signs.
    signs = re.findall(r'<p class="sign-round">Round (\d)</p>\s*<h3 class="sign-table">(\w+)</h3>', html)
    assert signs == [("1", "T1"), ("1", "T2"), ("2", "T1"), ("2", "T2"), ("3", "T1"), ("3", "T2"), ("3", "T3")]
    assert html.count('<span class="absent">absent</span>') == 1  # Eve, round 2
    assert html.count('<span class="badge host">you host</span>') == 3  # Anna, every round
    # Anna's and Ben's cards flag each other in round 2, Ben's and d's flag each other (met before the event).
    assert html.count('<span class="badge repeat">met before</span>') == 4
    assert '<span class="badge match">offers you funding</span>' in html  # on Anna's card, round 1
    assert '<span class="badge match">needs your design</span>' in html  # on Anna's card, round 2 (d)
    for label, value in (("new encounters", 11), ("repeat meetings", 2), ("objective", -7)):
        assert f'<tr><td>{label}</td><td class="num">{value}</td></tr>' in html
    assert '<div class="value">135.00%</div>' in html  # the gap, recomputed from the checker's objective


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("lp", "proven by the tables&#39; linear program (column generation over table compositions)"),
        ("counting", "proven by counting seats and each person&#39;s best tablemates"),
        ("cp-sat", "proven by CP-SAT&#39;s search"),
        (None, None),  # a document from before bound_source existed: the bound alone
    ],
)
def test_html_report_names_the_bounds_source(tmp_path: Path, source: str | None, words: str | None) -> None:
    instance = Instance.model_validate(SMALL_EVENT)
    solver = {"time_s": 1.0, "seed": 0, "workers": 2, "bound_source": source}
    schedule = Schedule.model_validate({**SMALL_PLAN, "solver": solver})
    [data] = export_files(instance, schedule, check(instance, schedule), "html", tmp_path / "plan.html").values()
    html = data.decode("utf-8")
    found = re.findall(r'<div class="label source">(.*?)</div>', html)
    assert found == ([words] if words else [])


def test_html_matrix_draws_each_met_pair_on_both_sides(tmp_path: Path) -> None:
    svg = re.search(r"<svg class=\"matrix\".*?</svg>", html_of(tmp_path), re.DOTALL)
    assert svg is not None
    squares = re.findall(r'<rect x="\d+" y="\d+" width="11" height="11" class="r(\d)"/>', svg.group())
    # 12 pairs met (11 new, plus b-d who had met before); first met in round 1: ab ac bc de df ef; round 2: ad bd cf;
    # round 3: ae bf cd. Each pair twice, once on each side of the diagonal.
    assert sorted(squares) == ["1"] * 12 + ["2"] * 6 + ["3"] * 6
    assert svg.group().count('class="rep"') == 4  # a-b and b-d
    assert svg.group().count('class="cmp"') == 2  # a-d: new and complementary (a-b is a repeat, marked as such)
    # Rows by sector (fintech, food, health, then no sector), by name within a sector.
    rows = re.findall(r'<text x="\d+" y="[\d.]+" text-anchor="end">(.*?)</text>', svg.group())
    assert rows == ["Anna &lt;Dahl&gt; &amp; &#34;Co&#34;", "Çelik, Zoë", "=HYPERLINK(&#34;http://x&#34;)", "Ben",
                    "Émile", "Eve"]  # fmt: skip


# What each format's file starts with: a byte-order mark and the header, a zip archive (XLSX), the HTML doctype.
CSV_START, XLSX_START, HTML_START = b"\xef\xbb\xbfparticipant,", b"PK\x03\x04", b"<!DOCTYPE html>"


@pytest.mark.parametrize(("name", "fmt", "written", "start"), [
    ("plan.csv", None, ["plan.csv", "plan.stats.csv", "plan.tables.csv"], CSV_START),
    ("plan.XLSX", None, ["plan.XLSX"], XLSX_START),
    ("plan.html", None, ["plan.html"], HTML_START),
    ("report.txt", "html", ["report.txt"], HTML_START),  # --to wins over the extension
])  # fmt: skip
def test_export_command_writes_the_format_asked_for(
    small: tuple[Path, Path], tmp_path: Path, name: str, fmt: str | None, written: list[str], start: bytes
) -> None:
    instance, plan = small
    out = tmp_path / "out"
    choice = ["--to", fmt] if fmt else []
    result = run("export", str(plan), "--instance", str(instance), "-o", str(out / name), *choice)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert sorted(path.name for path in out.iterdir()) == written  # and no temporary file left behind
    assert result.stderr.startswith(f"wrote {out / name}")
    content = (out / name).read_bytes()
    assert content.startswith(start)


def test_export_refuses_an_unknown_extension(small: tuple[Path, Path], tmp_path: Path) -> None:
    instance, plan = small
    target = tmp_path / "plan.pdf"
    result = run("export", str(plan), "--instance", str(instance), "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {target}: cannot tell the format from the extension '.pdf' "
        "(expected .csv, .xlsx, .html, or give --to)\n"
    )
    assert not target.exists()
    assert run("export", str(plan), "--instance", str(instance), "--to", "pdf", "-o", str(target)).exit_code == 2
    bare = run("export", str(plan), "--instance", str(instance), "-o", str(tmp_path / "plan"))
    assert bare.exit_code == 2
    assert "cannot tell the format from a name without extension" in bare.stderr


def test_export_refuses_a_schedule_that_breaks_the_instance(small: tuple[Path, Path], tmp_path: Path) -> None:
    _, plan = small
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps({**SMALL_EVENT, "rules": {"repeats": "forbid", "met_before": [["b", "d"]]}}))
    target = tmp_path / "out" / "plan.html"
    result = run("export", str(plan), "--instance", str(strict), "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {plan} breaks rules of {strict}, so nothing was written\n"
        "2 violation(s):\n"
        "  [repeat] round 2: a and b meet again (met in round 1)\n"
        "  [repeat] round 2: b and d meet again (met in an earlier event)\n"
    )
    assert not target.parent.exists()


def test_export_of_another_instances_schedule_is_refused(small: tuple[Path, Path], tmp_path: Path) -> None:
    _, plan = small
    result = run("export", str(plan), "--instance", str(BUSINESS_JAM), "-o", str(tmp_path / "plan.csv"))
    assert result.exit_code == 1
    assert "[participant-unknown] round 1: 'a' is not a participant" in result.stderr
    assert "[not-seated] round 1: p01 attends but is not seated" in result.stderr
    assert list(tmp_path.glob("plan*")) == [tmp_path / "plan.json"]


def test_export_of_a_document_without_seating_is_bad_input(small: tuple[Path, Path], tmp_path: Path) -> None:
    instance, _ = small
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"status": "infeasible", "rounds": []}))
    result = run("export", str(empty), "--instance", str(instance), "-o", str(tmp_path / "plan.html"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {empty}: holds no seating (status 'infeasible'): nothing to export\n"


TINY = {"name": "tiny", "rounds": 2, "tables": {"count": 2, "capacity": 2}, "participants": [{"id": x} for x in "abcd"]}


@pytest.mark.parametrize(("name", "starts"), [
    ("plan.html", b"<!DOCTYPE html>"),
    ("plan.csv", b"\xef\xbb\xbfparticipant,name,"),
    ("plan.xlsx", b"PK"),  # a zip archive, as every .xlsx is
    ("plan.json", b"{"),
    ("plan.txt", b"tiny: 4 participants, 2 tables, 2 rounds"),
])  # fmt: skip
def test_solve_output_format_follows_the_extension(tmp_path: Path, name: str, starts: bytes) -> None:
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(TINY))
    result = run("solve", str(instance), "--time-limit", "3", "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_bytes().startswith(starts)
    assert "wrote" in result.stderr


def test_solve_csv_itinerary_has_a_row_per_person_and_round(tmp_path: Path) -> None:
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(TINY))
    assert run("solve", str(instance), "--time-limit", "3", "-o", str(tmp_path / "plan.csv")).exit_code == 0
    rows = read_csv((tmp_path / "plan.csv").read_bytes())[1:]
    # 4 people x 2 rounds; tables of 2, so each meets exactly one new person per round (the optimum has no repeat).
    assert [(row[0], row[4]) for row in rows] == [(p, r) for p in "abcd" for r in "12"]
    assert {row[8] for row in rows} == {"1"}
    assert (tmp_path / "plan.tables.csv").exists() and (tmp_path / "plan.stats.csv").exists()


def test_solve_refuses_json_format_for_a_report_file(tmp_path: Path) -> None:
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(TINY))
    target = tmp_path / "plan.html"
    result = run("solve", str(instance), "--time-limit", "3", "--format", "json", "-o", str(target))
    assert result.exit_code == 2
    assert f"error: {target}: --format json conflicts with a .html file (use a .json name)" in result.stderr
    assert not target.exists()


def test_solve_without_a_schedule_writes_no_report(tmp_path: Path) -> None:
    instance = tmp_path / "full.json"
    instance.write_text(json.dumps({**TINY, "tables": {"count": 2, "capacity": 1}}))  # 4 people, 2 seats
    target = tmp_path / "plan.xlsx"
    result = run("solve", str(instance), "-o", str(target))
    assert result.exit_code == 3
    assert result.stderr.endswith(f"no schedule, so nothing written to {target}\n")
    assert not target.exists()


def test_business_jam_exports_as_in_the_readme(business_jam_plan: Path, tmp_path: Path) -> None:
    for name in ("plan.xlsx", "plan.html", "plan.csv"):
        result = run("export", str(business_jam_plan), "--instance", str(BUSINESS_JAM), "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    workbook = load_workbook(tmp_path / "plan.xlsx")
    # Attendees per round 46, 48, 47, 46 (validate says so): one itinerary row per attendance.
    assert workbook["Itineraries"].max_row == 1 + 46 + 48 + 47 + 46
    assert workbook["Tables"].max_row == 1 + 8 * 4
    report = check(load_instance(BUSINESS_JAM), load_schedule(business_jam_plan))
    assert report.stats is not None
    new_people = [row[8] for row in workbook["Itineraries"].iter_rows(min_row=2, values_only=True)]
    assert sum(new_people) == 2 * report.stats.new_encounters  # type: ignore[arg-type]
    html = (tmp_path / "plan.html").read_text()
    assert html.count('<article class="card">') == 48
    assert html.count('<article class="sign">') == 32  # tables of 5 to 6: never empty
    assert len(read_csv((tmp_path / "plan.csv").read_bytes())) == 1 + 187


def test_several_files_are_written_all_or_none(tmp_path: Path) -> None:
    """A CSV export is three files: when one cannot be written, none is, and no temporary file is left."""
    blocker = tmp_path / "taken"
    blocker.write_text("a file where a folder would have to be")
    with pytest.raises(InputError) as raised:
        write_files_atomic({tmp_path / "plan.csv": b"rows", blocker / "plan.stats.csv": "figures"})
    assert raised.value.where == str(blocker / "plan.stats.csv")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken"]


def test_the_text_report_names_the_bounds_source() -> None:
    from tablejam.reports.text import schedule_text

    instance = Instance.model_validate(SMALL_EVENT)
    schedule = Schedule.model_validate({**SMALL_PLAN, "solver": {"time_s": 1.0, "seed": 0, "workers": 2}})
    assert "bound      20  (no schedule can score more)\n" in schedule_text(instance, schedule)
    schedule.solver.bound_source = "cp-sat"  # type: ignore[union-attr]
    assert "bound      20  (no schedule can score more; proven by CP-SAT's search)\n" in schedule_text(
        instance, schedule
    )
