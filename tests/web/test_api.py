"""The JSON API over real HTTP: every endpoint, bad input answered with the CLI's error object, no file read that
was not sent, the caps on bodies, time limits and sizes."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import httpx
import pytest

from tablejam.check import check
from tablejam.files import load_instance
from tablejam.models import Instance, Schedule
from tablejam.models.presets import PRESETS
from tests.conftest import BUSINESS_JAM, INSTANCES, make_instance, run
from tests.web.conftest import Server, instance_json


@pytest.fixture(scope="module")
def http(server: Server) -> httpx.Client:
    with server.client() as client:
        yield client


@pytest.fixture(scope="module")
def business_jam() -> dict[str, Any]:
    return instance_json(load_instance(BUSINESS_JAM))


@pytest.fixture(scope="module")
def solved(http: httpx.Client, business_jam: dict[str, Any]) -> dict[str, Any]:
    """The Business Jam solved through the API (any valid schedule will do for what is made of it)."""
    answer = http.post("/api/solve", params={"time_limit": 3}, json=business_jam)
    assert answer.status_code == 200, answer.text
    return answer.json()


def error_of(answer: httpx.Response, status: int) -> dict[str, Any]:
    """The error object of a failed answer, which has exactly the CLI's shape."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "where"}, body
    return body["error"]


# --- every endpoint ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["instance", "schedule", "setting"])
def test_schemas_are_those_the_cli_prints(http: httpx.Client, which: str) -> None:
    answer = http.get(f"/api/schema/{which}")
    assert answer.status_code == 200
    assert answer.json() == json.loads(run("schema", which).stdout)


def test_an_unknown_schema_is_a_usage_error(http: httpx.Client) -> None:
    error = error_of(http.get("/api/schema/settings"), 400)
    assert error["code"] == 2 and error["where"] == "which"


def test_validate_says_what_the_cli_says(http: httpx.Client, business_jam: dict[str, Any]) -> None:
    answer = http.post("/api/validate", json=business_jam)
    assert answer.status_code == 200
    found = answer.json()
    cli = run("validate", str(BUSINESS_JAM), "--format", "json")
    assert {key: value for key, value in found.items() if key != "text"} == json.loads(cli.stdout)
    assert found["text"] == run("validate", str(BUSINESS_JAM)).stdout  # the CLI's words, for the page


def test_validate_names_what_is_impossible(http: httpx.Client) -> None:
    crowded = instance_json(make_instance(12, tables={"count": 2, "capacity": 5}))  # 12 people, 10 seats
    found = http.post("/api/validate", json=crowded).json()
    assert found["feasible_by_counting"] is False
    assert [item["rule"] for item in found["impossibilities"]] == ["capacity"]
    assert "12" in found["impossibilities"][0]["message"] and "10" in found["impossibilities"][0]["message"]


def test_solve_answers_a_valid_schedule_document(solved: dict[str, Any]) -> None:
    instance = load_instance(BUSINESS_JAM)
    schedule = Schedule.model_validate(solved)
    assert schedule.format == "tablejam.schedule/1" and schedule.status in ("feasible", "optimal")
    report = check(instance, schedule)
    assert report.valid, [v.message for v in report.violations]
    assert schedule.objective == report.stats.objective
    assert schedule.solver is not None and schedule.solver.time_limit_s == 3


def test_solve_says_infeasible_as_a_status(http: httpx.Client) -> None:
    crowded = instance_json(make_instance(12, tables={"count": 2, "capacity": 5}))
    answer = http.post("/api/solve", params={"time_limit": 2}, json=crowded)
    assert answer.status_code == 200
    assert answer.json()["status"] == "infeasible" and answer.json()["rounds"] == []
    assert answer.json()["reasons"][0]["rule"] == "capacity"


def test_check_lists_every_broken_rule(http: httpx.Client) -> None:
    people = [{"id": "a", "company": "Acme"}, {"id": "b", "company": "Acme"}, {"id": "c"}, {"id": "d"}]
    instance = instance_json(make_instance(people, tables={"count": 2, "capacity": 2}))
    together = {
        "rounds": [
            {
                "round": 1,
                "tables": [{"table": "T1", "participants": ["a", "b"]}, {"table": "T2", "participants": ["c", "d"]}],
            }
        ]
    }
    verdict = http.post("/api/check", json={"instance": instance, "schedule": together}).json()
    assert verdict["valid"] is False
    assert [(v["rule"], v["round"], v["table"], v["participants"]) for v in verdict["violations"]] == [
        ("colleagues", 1, "T1", ["a", "b"])
    ]
    assert verdict["stats"]["new_encounters"] == 2


def test_replan_keeps_the_rounds_held_and_moves_few(
    http: httpx.Client, business_jam: dict[str, Any], solved: dict[str, Any]
) -> None:
    body = {"instance": business_jam, "schedule": solved, "after_round": 2, "absent": ["p05", "p11"]}
    answer = http.post("/api/replan", params={"time_limit": 3}, json=body)
    assert answer.status_code == 200, answer.text
    event = Instance.model_validate(answer.json()["instance"])
    schedule = Schedule.model_validate(answer.json()["schedule"])
    assert check(event, schedule).valid
    assert schedule.rounds[:2] == Schedule.model_validate(solved).rounds[:2]  # held as printed
    seated_later = {pid for seated in schedule.rounds[2:] for table in seated.tables for pid in table.participants}
    assert not {"p05", "p11"} & seated_later
    assert schedule.replanned is not None and schedule.replanned.absent == ["p05", "p11"]


def test_replan_refuses_an_unknown_absentee(
    http: httpx.Client, business_jam: dict[str, Any], solved: dict[str, Any]
) -> None:
    body = {"instance": business_jam, "schedule": solved, "after_round": 2, "absent": ["nobody"]}
    error = error_of(http.post("/api/replan", json=body), 400)
    assert error == {"code": 2, "message": "no participant 'nobody' in the instance", "where": "--absent"}


def test_status_says_what_the_server_offers(http: httpx.Client, server: Server) -> None:
    status = http.get("/api/status").json()
    assert status["slots"] == server.limits.running and status["queue"] == server.limits.queued
    assert status["max_time_limit"] == server.limits.max_time_limit
    assert set(status["exports"]) >= {"html", "csv", "xlsx"}


def test_openapi_describes_every_endpoint_with_the_engines_schemas(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    for path in ("/api/validate", "/api/solve", "/api/check", "/api/replan", "/api/schema/{which}"):
        assert path in document["paths"], path
    solve = document["paths"]["/api/solve"]["post"]
    assert solve["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Instance"}
    assert solve["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Schedule"
    }
    assert {"Instance", "Schedule", "ErrorBody", "Participant"} <= set(document["components"]["schemas"])
    assert http.get("/docs").status_code == 404  # its page would load scripts from the internet


# --- bad input: a clear 4xx with the CLI's error object ----------------------------------------------------------


def test_bad_json_is_said_as_the_cli_says_it(http: httpx.Client) -> None:
    error = error_of(http.post("/api/solve", content=b'{"rounds": 2,}'), 400)
    cli = json.loads(run("solve", "-", "--format", "json", stdin='{"rounds": 2,}').stdout)["error"]
    assert (error["code"], error["message"]) == (cli["code"], cli["message"])
    assert error["where"] == "request body"


def test_invalid_instances_name_the_field_as_the_cli_does(http: httpx.Client) -> None:
    data = {"rounds": 2, "tables": {"count": 2, "capacity": 3}, "participants": [{"id": "a", "hots": "T1"}]}
    error = error_of(http.post("/api/validate", json=data), 400)
    cli = json.loads(run("validate", "-", "--format", "json", stdin=json.dumps(data)).stdout)["error"]
    assert (
        (error["code"], error["message"])
        == (cli["code"], cli["message"])
        == (2, "invalid content\n  participants[0] (id 'a').hots: unknown field (a typo?)")
    )
    assert error["where"] == "instance"


@pytest.mark.parametrize(
    ("path", "body", "where", "words"),
    [
        ("/api/solve", [1, 2], "instance", "expected an instance"),
        ("/api/check", {"schedule": {}}, "request body", "'instance' is missing"),
        ("/api/check", {"instance": {"rounds": 1}, "schedule": {}}, "instance", "tables: required field is missing"),
        ("/api/replan", {"instance": {}}, "request body", "schedule: required field is missing"),
        ("/api/draft", {"instance": {}, "form": {"rounds": 0}}, "request body", "form.rounds"),
        ("/api/jobs", {"instance": {}, "time_limit": -1}, "request body", "time_limit"),
        ("/api/view", "schedule", "request body", "expected a JSON object"),
    ],
)
def test_bad_bodies_are_4xx_errors_naming_the_field(
    http: httpx.Client, path: str, body: Any, where: str, words: str
) -> None:
    error = error_of(http.post(path, json=body), 400)
    assert error["code"] == 2 and error["where"] == where and words in error["message"], error


def test_unknown_endpoints_and_methods_answer_the_error_object(http: httpx.Client) -> None:
    assert error_of(http.get("/api/nothing"), 404)["code"] == 2
    assert error_of(http.get("/api/solve"), 405)["code"] == 2
    assert error_of(http.get("/api/jobs/no-such-job"), 404)["where"] == "id"


# --- no file read that was not sent ------------------------------------------------------------------------------

NAMES_FILES = [
    ("participants", {"participants": "monthly-jam-people.csv"}),
    ("participants", {"participants": "/etc/passwd"}),
    ("rules.history[0]", {"rules": {"history": ["history/monthly-jam-2026-09.json"]}}),
]


@pytest.mark.parametrize(("field", "change"), NAMES_FILES)
@pytest.mark.parametrize("path", ["/api/validate", "/api/solve", "/api/check", "/api/view", "/api/jobs"])
def test_instances_naming_files_are_refused_everywhere(
    http: httpx.Client,
    business_jam: dict[str, Any],
    solved: dict[str, Any],
    path: str,
    field: str,
    change: dict[str, Any],
) -> None:
    instance = {**business_jam, **change}
    body: Any = instance if path in ("/api/validate", "/api/solve") else {"instance": instance, "schedule": solved}
    if path == "/api/jobs":
        body = {"instance": instance}
    error = error_of(http.post(path, json=body), 400)
    assert error["where"] == "instance"
    assert error["message"].startswith(f"{field}: ") and "names a file" in error["message"]


# --- caps --------------------------------------------------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_before_it_is_read(http: httpx.Client, server: Server) -> None:
    big = b"[" + b"0," * server.limits.max_body_bytes + b"0]"
    error = error_of(http.post("/api/validate", content=big), 413)
    assert (
        error["code"] == 2
        and error["where"] == "request body"
        and str(server.limits.max_body_bytes) in error["message"]
    )


def test_a_body_sent_in_chunks_is_cut_off_at_the_cap(http: httpx.Client, server: Server) -> None:
    def chunks():  # no Content-Length: the server counts as it reads
        for _ in range(server.limits.max_body_bytes // 65536 + 2):
            yield b" " * 65536

    error = error_of(http.post("/api/validate", content=chunks()), 413)
    assert error["code"] == 2


@pytest.mark.parametrize("time_limit", ["0", "-1", "61", "1e9", "nan", "soon"])
def test_time_limits_are_capped(http: httpx.Client, business_jam: dict[str, Any], time_limit: str) -> None:
    for path in ("/api/solve", "/api/replan"):
        error = error_of(http.post(path, params={"time_limit": time_limit}, json=business_jam), 400)
        assert error["code"] == 2 and error["where"] == "time_limit", error


def test_a_page_solve_is_capped_too(http: httpx.Client, business_jam: dict[str, Any]) -> None:
    error = error_of(http.post("/api/jobs", json={"instance": business_jam, "time_limit": 61}), 400)
    assert error["where"] == "time_limit" and "60" in error["message"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"tables": {"count": 10000, "capacity": 10000}}, "tables: 10000 is more than this server plans (300 at most)"),
        ({"rounds": 1000}, "rounds: 1000 is more than this server plans (50 at most)"),
        ({"participants": [{"id": f"p{k}"} for k in range(1001)]}, "participants: 1001 is more than"),
    ],
)
def test_enormous_events_are_refused_before_solving(http: httpx.Client, change: dict[str, Any], words: str) -> None:
    data = {"rounds": 2, "tables": {"count": 2, "capacity": 3}, "participants": [{"id": "a"}], **change}
    error = error_of(http.post("/api/solve", json=data), 400)
    assert words in error["message"]


# --- the page's endpoints ----------------------------------------------------------------------------------------


def upload(http: httpx.Client, *names: str, contents: dict[str, bytes] | None = None) -> httpx.Response:
    files = []
    for name in names:
        data = (contents or {}).get(name) or (INSTANCES / name).read_bytes()
        files.append(("files", (name.rsplit("/", 1)[-1], data)))
    return http.post("/api/upload", files=files)


def test_upload_of_a_spreadsheet_makes_the_instance_init_makes(http: httpx.Client) -> None:
    answer = upload(http, "monthly-jam-people.csv")
    assert answer.status_code == 200, answer.text
    draft = answer.json()
    assert draft["source"] == "spreadsheet"
    assert draft["form"] == {
        "name": "monthly jam people",
        "rounds": 4,
        "tables": 6,
        "seats": 6,
        "min": None,
        "max_per_table": None,
        "colleagues": "apart",
        "repeats": "forbid",
        "preset": None,
    }
    instance = Instance.model_validate(draft["instance"])
    assert len(instance.participants) == 36 and instance.participants[0].attributes["Email"]
    assert instance.table_list[0].min == 5  # 35 people in the least attended round, as init chooses


def test_upload_of_an_xlsx_reads_the_same_people(http: httpx.Client) -> None:
    csv, xlsx = (
        upload(http, name).json()["instance"]["participants"]
        for name in ("monthly-jam-people.csv", "monthly-jam-people.xlsx")
    )
    assert [p["id"] for p in csv] == [p["id"] for p in xlsx]


def test_upload_of_an_instance_file_reads_the_files_uploaded_with_it(http: httpx.Client) -> None:
    answer = upload(http, "monthly-jam.toml", "monthly-jam-people.csv", "history/monthly-jam-2026-09.json")
    assert answer.status_code == 200, answer.text
    instance = Instance.model_validate(answer.json()["instance"])
    assert len(instance.met_before_pairs) == 58  # from the September schedule, as `validate` counts them
    assert instance.rules.history == []  # now among met_before; the server keeps no file
    assert answer.json()["form"]["max_per_table"] == 2 and answer.json()["form"]["tables"] == 7


def test_an_instance_file_without_the_files_it_names_is_refused(http: httpx.Client) -> None:
    error = error_of(upload(http, "monthly-jam.toml"), 400)
    assert error == {
        "code": 2,
        "where": "monthly-jam.toml",
        "message": "participants: names the file 'monthly-jam-people.csv': choose it together with monthly-jam.toml",
    }


def test_an_upload_reads_nothing_outside_what_was_uploaded(http: httpx.Client) -> None:
    escape = b'rounds = 1\nparticipants = "../../../../etc/hostname"\n[tables]\ncount = 1\ncapacity = 2\n'
    error = error_of(
        upload(http, "event.toml", "hostname", contents={"event.toml": escape, "hostname": b"id\na\n"}), 400
    )
    assert "outside" in error["message"] and "tablejam-upload" not in json.dumps(error)


def test_spreadsheet_problems_name_the_row_as_uploaded(http: httpx.Client) -> None:
    sheet = b"id,name,absent\na,Anna,2\nb,Ben,two\n"
    error = error_of(upload(http, "people.csv", contents={"people.csv": sheet}), 400)
    assert error["where"] == "people.csv, row 3, column 'absent'"
    assert "tablejam-upload" not in json.dumps(error)


@pytest.mark.parametrize("names", [[], ["notes.pdf"], ["a.csv", "b.csv"], ["a.toml", "b.json"]])
def test_uploads_that_are_no_event_are_refused(http: httpx.Client, names: list[str]) -> None:
    if not names:
        error = error_of(http.post("/api/upload", files=[("other", ("x.txt", b"x"))]), 400)
    else:
        error = error_of(upload(http, *names, contents={name: b"id\na\n" for name in names}), 400)
    assert error["code"] == 2 and error["where"] == "files"


def test_draft_applies_the_form(http: httpx.Client) -> None:
    draft = upload(http, "monthly-jam-people.csv").json()
    form = {**draft["form"], "tables": 7, "max_per_table": 2, "repeats": "minimise", "preset": "fair"}
    answer = http.post("/api/draft", json={"instance": draft["instance"], "form": form})
    assert answer.status_code == 200, answer.text
    instance = Instance.model_validate(answer.json()["instance"])
    assert instance.table_list[-1].id == "T7" and instance.table_list[0].min == 5  # 35 at 7 tables: 5 each
    assert instance.sectors.max_per_table == 2 and instance.rules.repeats == "minimise"
    assert instance.objective.lexicographic == ["fairness", "new"]
    assert answer.json()["findings"]["feasible_by_counting"] is True
    assert "7 tables of 5" in answer.json()["findings"]["text"]


def test_a_form_that_cannot_seat_everyone_says_so(http: httpx.Client) -> None:
    draft = upload(http, "monthly-jam-people.csv").json()
    answer = http.post("/api/draft", json={"instance": draft["instance"], "form": {**draft["form"], "tables": 5}})
    found = answer.json()["findings"]
    assert found["feasible_by_counting"] is False and found["impossibilities"][0]["rule"] == "capacity"


def test_view_shows_the_reports_own_sections(
    http: httpx.Client, business_jam: dict[str, Any], solved: dict[str, Any]
) -> None:
    view = http.post("/api/view", json={"instance": business_jam, "schedule": solved}).json()
    assert view["valid"] is True
    assert list(view["sections"]) == ["overview", "plan", "sectors", "matrix", "cards", "signs"]
    instance = load_instance(BUSINESS_JAM)
    seats = sum(len(instance.attendees(r)) for r in range(1, instance.rounds + 1))
    assert view["sections"]["plan"].count("data-participant=") == seats
    assert view["sections"]["cards"].count('<article class="card">') == 48
    report = http.post("/api/export", params={"to": "html"}, json={"instance": business_jam, "schedule": solved}).text
    for html in view["sections"].values():
        assert html.strip() in report  # the very same markup as the printed report


def test_view_of_a_plan_breaking_rules_gives_the_verdict_only(
    http: httpx.Client, business_jam: dict[str, Any], solved: dict[str, Any]
) -> None:
    moved = json.loads(json.dumps(solved))
    tables = moved["rounds"][0]["tables"]
    capacity = {t.id: t.capacity for t in load_instance(BUSINESS_JAM).table_list}[tables[1]["table"]]
    while len(tables[1]["participants"]) <= capacity:  # one table short, one over capacity
        tables[1]["participants"].append(tables[0]["participants"].pop())
    moved["objective"] = moved["stats"] = None
    view = http.post("/api/view", json={"instance": business_jam, "schedule": moved}).json()
    assert view["valid"] is False and view["sections"] is None
    assert {v["rule"] for v in view["violations"]} >= {"capacity"}


@pytest.mark.parametrize(
    ("fmt", "start", "kind"),
    [
        ("html", b"<!DOCTYPE html>", "text/html"),
        ("xlsx", b"PK\x03\x04", "spreadsheetml"),
        ("csv", b"PK\x03\x04", "application/zip"),
    ],
)
def test_exports_are_what_the_cli_writes(
    http: httpx.Client, business_jam: dict[str, Any], solved: dict[str, Any], fmt: str, start: bytes, kind: str
) -> None:
    answer = http.post("/api/export", params={"to": fmt}, json={"instance": business_jam, "schedule": solved})
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(start) and kind in answer.headers["content-type"]
    assert "business-jam-spring-2026-plan" in answer.headers["content-disposition"]
    if fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
        assert sorted(names) == [
            "business-jam-spring-2026-plan.csv",
            "business-jam-spring-2026-plan.stats.csv",
            "business-jam-spring-2026-plan.tables.csv",
        ]


def test_an_export_of_a_plan_breaking_rules_is_refused(
    http: httpx.Client, business_jam: dict[str, Any], solved: dict[str, Any]
) -> None:
    moved = json.loads(json.dumps(solved))
    moved["rounds"][0]["tables"][0]["participants"] = []
    moved["objective"] = moved["stats"] = None
    error = error_of(
        http.post("/api/export", params={"to": "html"}, json={"instance": business_jam, "schedule": moved}), 422
    )
    assert error["code"] == 1 and error["where"] == "schedule" and "breaks rules" in error["message"]
    assert (
        error_of(
            http.post("/api/export", params={"to": "pdf"}, json={"instance": business_jam, "schedule": solved}), 400
        )["where"]
        == "to"
    )


def test_the_page_lists_the_presets(http: httpx.Client) -> None:
    page = http.get("/").text
    assert page.startswith("<!DOCTYPE html>")
    for name in PRESETS:  # as `tablejam presets` lists them
        assert f'<option value="{name}">' in page
