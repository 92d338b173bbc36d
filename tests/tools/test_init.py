"""`tablejam init`: a commented instance file from a spreadsheet, which solve and check take unchanged."""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path

import pytest

from tablejam.files import load_instance
from tablejam.files.spreadsheet import read_participants
from tests.conftest import ROOT, run

# 12 people; Lea misses round 2, Ali hosts T1, two pairs of colleagues.
PEOPLE = """name,sector,company,offers,needs,absent,host
Ali,fintech,Acme,design,funding,,T1
Bea,health,Acme,funding,design,,
Cem,food,,sales,hiring,,
Dia,energy,,hiring,sales,,
Eva,fintech,Blue,design,hiring,,
Fin,health,Blue,funding,sales,,
Gus,food,,sales,design,,
Hal,energy,,hiring,funding,,
Ida,fintech,,design,sales,,
Jon,health,,funding,hiring,,
Kai,food,,sales,funding,,
Lea,energy,,hiring,design,2,
"""


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE)
    return path


def test_init_solve_check_round_trip(people: Path, tmp_path: Path) -> None:
    """4 tables of 3 (at least 2), 2 rounds: round 1 must seat 12 as 3+3+3+3 (12 pairs), round 2 must
    seat 11 as 3+3+3+2 (3+3+3+1 = 10 pairs): 22 meetings, all new as repeats are forbidden."""
    event = tmp_path / "event.toml"
    written = run("init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event))
    assert written.exit_code == 0, written.stderr
    assert written.stdout == ""
    assert written.stderr == f"wrote {event}: 12 participants, 4 tables of 3 (at least 2 each), 2 rounds\n"
    solved = run("solve", str(event), "--format", "json", "--time-limit", "3", "-o", str(tmp_path / "plan.json"))
    assert solved.exit_code == 0, solved.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert (plan["stats"]["new_encounters"], plan["stats"]["repeat_meetings"]) == (22, 0)
    checked = run("check", str(event), str(tmp_path / "plan.json"))
    assert checked.exit_code == 0
    assert checked.stdout.startswith("valid")


def test_the_file_names_the_sheet_and_spells_out_every_default(people: Path, tmp_path: Path) -> None:
    event = tmp_path / "event.toml"
    run("init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event))
    text = event.read_text()
    assert tomllib.loads(text) == {
        "name": "people",  # from the spreadsheet's file name
        "rounds": 2,
        "participants": "people.csv",  # beside the instance file
        # The least attended round (11 people) sits evenly as 3+3+3+2, so no table needs fewer than 2.
        "tables": {"count": 4, "capacity": 3, "min": 2},
        "sectors": {},  # caps only suggested: 3 of each sector fit 4 tables at 1 a table; 2 for all
        "rules": {"repeats": "forbid", "colleagues": "apart", "keep_apart": [], "met_before": [], "history": []},
        "objective": {"new": 1, "complementary": 1, "cross_sector": 0, "repeat": 10, "fairness": 0},
    }
    assert "# 12 participants; attending per round: 12, 11.\nparticipants" in text  # no other columns
    assert "# max_per_table = 2" in text
    assert '# limits = { "fintech" = 1 }' in text
    assert "sits evenly as\n# 3 tables of 3 and 1 of 2." in text
    assert 'e.g. [["p002", "p003"]]' in text  # generated ids: the people on rows 2 and 3
    loaded = load_instance(event)
    assert [p.model_dump(exclude_defaults=True) for p in loaded.participants] == read_participants(people)


def test_without_output_it_prints_with_the_path_from_the_current_folder(
    people: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    result = run("init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "--name", 'Jam "May"')
    assert result.exit_code == 0
    document = tomllib.loads(result.stdout)
    assert (document["name"], document["participants"]) == ('Jam "May"', "../people.csv")


def test_the_path_is_relative_to_the_output_folder(people: Path, tmp_path: Path) -> None:
    event = tmp_path / "events" / "may" / "event.toml"
    assert run("init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event)).exit_code == 0
    assert tomllib.loads(event.read_text())["participants"] == "../../people.csv"
    assert len(load_instance(event).participants) == 12


def test_an_existing_file_is_kept_without_force(people: Path, tmp_path: Path) -> None:
    event = tmp_path / "event.toml"
    event.write_text("mine")
    args = ["init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event)]
    refused = run(*args)
    assert refused.exit_code == 2
    assert refused.stderr == f"error: {event}: exists already; add --force to overwrite it\n"
    assert event.read_text() == "mine"
    assert run(*args, "--force").exit_code == 0
    assert event.read_text().startswith("# A tablejam event.")


@pytest.mark.parametrize(
    ("options", "where", "message"),
    [
        # 12 people at 2 tables of 4: 8 seats. 3 tables of 4, or 2 tables of 6, would do.
        (["--tables", "2", "--seats", "4"], "--tables/--seats",
         "12 people attend round 1 but 2 tables of 4 seat only 8: use --tables 3 or --seats 6"),
        # Round 2 has 11 attendees: 4 tables of at least 3 need 12.
        (["--tables", "4", "--seats", "3", "--min", "3"], "--min",
         "round 2 has 11 attendees, fewer than 4 tables x 3: use --min 2 or less"),
        (["--tables", "4", "--seats", "3", "--min", "4"], "--min", "4 is more than the 3 seats of a table"),
    ],
    ids=["seats", "min", "min-above-seats"],
)  # fmt: skip
def test_numbers_that_cannot_seat_everyone_exit_2(
    people: Path, tmp_path: Path, options: list[str], where: str, message: str
) -> None:
    event = tmp_path / "event.toml"
    result = run("init", str(people), *options, "--rounds", "2", "-o", str(event))
    assert result.exit_code == 2
    assert result.stderr == f"error: {where}: {message}\n"
    assert not event.exists()


def test_a_broken_sheet_is_reported_before_anything_is_written(people: Path, tmp_path: Path) -> None:
    people.write_text(PEOPLE.replace("Lea,energy,,hiring,design,2,", "Lea,energy,,hiring,design,3,"))
    event = tmp_path / "event.toml"
    result = run("init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event))
    assert result.exit_code == 2
    # Lea is on row 13 (the header is row 1) and misses a round the event does not have.
    assert (
        result.stderr
        == f"error: {people}: invalid content\n  {people}, row 13, column 'absent': round 3 is outside 1..2\n"
    )
    assert not event.exists()


def test_an_impossibility_in_the_people_is_written_and_explained(people: Path, tmp_path: Path) -> None:
    """Five colleagues at four tables cannot all sit apart: the file is written for editing, exit 3."""
    for person in ("Cem,food,", "Dia,energy,", "Gus,food,"):
        people.write_text(people.read_text().replace(f"{person},", f"{person}Acme,"))
    event = tmp_path / "event.toml"
    result = run("init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event))
    assert result.exit_code == 3
    reason = "company 'Acme' has 5 attendees in round {} who must sit apart, but there are only 4 tables"
    assert result.stderr.splitlines()[1:] == [f"impossible: [colleagues] {reason.format(r)}" for r in (1, 2)]
    assert event.exists()


def test_init_on_the_example_spreadsheet_solves() -> None:
    """The README's example: the example workbook, 7 tables of 6, 4 rounds."""
    root = ROOT
    result = run(
        "init", str(root / "instances" / "monthly-jam-people.xlsx"), "--tables", "7", "--seats", "6", "--rounds", "4"
    )
    assert result.exit_code == 0
    # 36 attend round 1 and 35 the others; 35 at 7 tables sit evenly as 7 tables of 5.
    assert tomllib.loads(result.stdout)["tables"] == {"count": 7, "capacity": 6, "min": 5}
    assert "# Other columns, kept (a quota may count one; 'email' is for breakout rooms): Email, Member since.\n" in (
        result.stdout
    )


def test_the_file_gets_the_usual_permissions(people: Path, tmp_path: Path) -> None:
    """Written atomically through a private temporary file, yet readable like any new file (umask 022:
    0644); an existing file keeps its own mode."""
    event = tmp_path / "event.toml"
    args = ["init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event), "--force"]
    previous = os.umask(0o022)
    try:
        run(*args)
        assert stat.S_IMODE(event.stat().st_mode) == 0o644
        event.chmod(0o640)
        run(*args)
        assert stat.S_IMODE(event.stat().st_mode) == 0o640
    finally:
        os.umask(previous)


# The rules organisers ask for, written commented out: uncommenting them gives these fields, exactly so named.
NEW_FIELDS = re.compile(
    r"^# (?=(rounds|together|revisit_tables|pins|wishes|attribute|value|min|max) = |\[\[quotas\]\])", re.M
)


def test_the_new_rules_are_written_commented_out(people: Path, tmp_path: Path) -> None:
    # A Gender column (6 f, 6 m) and an email column: kept as attributes, the quota example counts the first.
    rows = people.read_text().splitlines()
    gender = ["f", "m"] * 6
    people.write_text(
        "\n".join(
            [rows[0] + ",Gender,email"]
            + [f"{row},{g},{k}@example.org" for k, (row, g) in enumerate(zip(rows[1:], gender, strict=True))]
        )
        + "\n"
    )
    event = tmp_path / "event.toml"
    assert run("init", str(people), "--tables", "4", "--seats", "3", "--rounds", "2", "-o", str(event)).exit_code == 0
    text = event.read_text()
    # Commented out, the file is the one it always was: it loads, and validate finds nothing impossible.
    assert "together" not in tomllib.loads(text)["rules"] and "quotas" not in tomllib.loads(text)
    assert [p.attribute("gender") for p in load_instance(event).participants] == gender
    validated = run("validate", str(event))
    assert validated.exit_code == 0, validated.output
    # Uncommented: the ids are the sheet's (rows 2 to 6 get p002..p006), the pin at the last table in round 2,
    # and the quota spreads the 6 f over 4 tables: at least 6 // 4 = 1, at most 2 at each.
    document = tomllib.loads(NEW_FIELDS.sub("", text))
    assert document["tables"]["rounds"] == [1, 2]
    rules = {key: document["rules"][key] for key in ("together", "revisit_tables", "pins", "wishes")}
    assert rules == {
        "together": [["p002", "p003"]],
        "revisit_tables": "forbid",
        "pins": [{"participant": "p004", "table": "T4", "rounds": [2]}],
        "wishes": [{"participants": ["p005", "p006"], "weight": 5}],
    }
    assert document["quotas"] == [{"attribute": "Gender", "value": "f", "min": 1, "max": 2}]
    # Nothing else changes on uncommenting (the sector caps stay suggestions).
    assert document["sectors"] == {} and document["objective"] == tomllib.loads(text)["objective"]
