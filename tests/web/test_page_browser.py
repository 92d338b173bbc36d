"""The page as an organiser uses it, in Debian's chromium driven by Playwright: upload the spreadsheet, set the
tables, solve, look at the plan, drag a person (the verdict appears), undo and lock by keyboard, re-solve around the
lock, re-plan with an absentee, print the new signs; no console error on the way. CI installs chromium (.ci/run);
without it these tests fail, not skip.

TABLEJAM_UPDATE_DOCS=1 also writes the README's screenshot, docs/serve.png."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, expect, sync_playwright

from tests.conftest import INSTANCES, ROOT
from tests.web.conftest import Server

# Without these chromium waits for a network this machine does not have, or sets up a sandbox it may not.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]  # fmt: skip
SCREENSHOT = ROOT / "docs" / "serve.png"
VIEWPORT = {"width": 1280, "height": 960}
SHOT = {"width": 1280, "height": 1560}
SOLVE_SECONDS = 4
WAIT_MS = 40_000  # a solve of SOLVE_SECONDS on a busy 2-core machine, with time to spare
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable is not None, "chromium is not installed: .ci/run installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def watched(browser: Browser, server: Server) -> tuple[Page, list[str]]:
    """A page and what goes wrong on it: console errors and warnings, script errors, failed requests."""
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(WAIT_MS)
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    def answered(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} from {response.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def failed(request: Request) -> None:
        # The page closes a solve's event stream once it has the plan: the browser calls that an aborted request.
        if not (request.url.endswith("/events") and request.failure == "net::ERR_ABORTED"):
            problems.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", failed)
    page.on("response", answered)
    page.goto(server.url)
    return page, problems


def plan_cell(page: Page, round_number: int, table: str) -> str:
    return f'#plan-slot td[data-round="{round_number}"][data-table="{table}"]'


def seated(page: Page, round_number: int, table: str) -> list[str]:
    return page.locator(f"{plan_cell(page, round_number, table)} li[data-participant]").evaluate_all(
        "items => items.map(item => item.dataset.participant)"
    )


def test_an_organiser_plans_adjusts_and_replans(browser: Browser, server: Server, tmp_path: Path) -> None:
    page, problems = watched(browser, server)

    # 1. Set up: the spreadsheet, seven tables instead of the six guessed, validate's findings.
    page.set_input_files("#files", INSTANCES / "monthly-jam-people.csv")
    expect(page.locator("#upload-status")).to_contain_text("36 participants from the spreadsheet")
    expect(page.locator("#f-tables")).to_have_value("6")
    page.fill("#f-tables", "7")
    expect(page.locator("#findings-text")).to_contain_text("7 tables")
    expect(page.locator("#findings-text")).to_contain_text("round 2: 35 attendees, e.g. 7 tables of 5")
    expect(page.locator("#findings-verdict")).to_have_text("Nothing impossible found by counting: ready to solve.")

    # 2. Solve, watching the best score, the bound and the gap live.
    page.fill("#time-limit", str(SOLVE_SECONDS))
    page.click("#solve-button")
    expect(page.locator("#stop-button")).to_be_enabled()
    expect(page.locator("#p-bound")).not_to_have_text("-")
    expect(page.locator("#p-state")).to_contain_text("Done: a ")
    expect(page.locator("#p-gap")).to_contain_text("%")

    # 3. Look: the report's own sections, everyone seated.
    expect(page.locator("#plan-slot h2")).to_have_text("Seating plan")
    assert page.locator('#plan-slot td[data-round="1"] li[data-participant]').count() == 36
    assert page.locator("#cards-slot article.card").count() == 36
    assert page.locator("#matrix-slot svg.matrix").count() == 1
    assert page.locator("#sectors-slot .chip").count() > 0
    expect(page.locator("#overview-slot")).to_contain_text("Statistics recomputed by tablejam's independent checker")
    # The README's picture: the live figures, the downloads, the overview and the top of the seating plan.
    shot = tmp_path / "serve.png"
    page.set_viewport_size(SHOT)
    page.evaluate("document.getElementById('solve').scrollIntoView({block: 'start'})")
    page.screenshot(path=str(shot))
    page.set_viewport_size(VIEWPORT)
    with Image.open(shot) as image:
        assert image.size == (SHOT["width"], SHOT["height"])
        assert len(image.convert("RGB").getcolors(SHOT["width"] * SHOT["height"]) or []) > 100  # not a blank page
    if os.environ.get("TABLEJAM_UPDATE_DOCS"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)

    # Printed, the page shows the plan, not the controls.
    page.emulate_media(media="print")
    expect(page.locator("#setup")).to_be_hidden()
    expect(page.locator("#plan-slot table")).to_be_visible()
    page.emulate_media(media="screen")

    # 4. Adjust: drag the last person of T1's round 1 to T2; the checker's verdict appears at once.
    person = seated(page, 1, "T1")[-1]
    name = page.locator(f'{plan_cell(page, 1, "T1")} li[data-participant="{person}"]').inner_text()
    page.locator(f'{plan_cell(page, 1, "T1")} li[data-participant="{person}"]').drag_to(
        page.locator(plan_cell(page, 1, "T2"))
    )
    expect(page.locator("#verdict")).to_contain_text(f"{name} moved from T1 to T2 in round 1.")
    expect(page.locator("#verdict")).to_contain_text("rule")  # "keeps every rule", or "breaks N rule(s):" and which
    assert person in seated(page, 1, "T2") and person not in seated(page, 1, "T1")

    # ... undo it by keyboard, then lock someone's seat with the form, by keyboard too.
    page.focus("#undo")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_contain_text("The plan keeps every rule.")
    assert person in seated(page, 1, "T1")
    page.select_option("#m-round", "2")
    page.select_option("#m-person", person)
    table = page.locator(f'#plan-slot td[data-round="2"]:has(li[data-participant="{person}"])').get_attribute(
        "data-table"
    )
    page.select_option("#m-table", table)
    page.focus("#m-table")
    page.keyboard.press("Tab")  # past "lock this seat" (ticked) to the Move button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Move"
    page.keyboard.press("Enter")
    expect(page.locator("#locks li")).to_have_count(1)
    expect(page.locator("#locks li")).to_contain_text(f"{name} at {table} in round 2")
    expect(page.locator(f'{plan_cell(page, 2, table)} li.locked[data-participant="{person}"]')).to_have_count(1)

    # ... and re-solve the rest: the lock goes to the server as a pin, so the new plan keeps that seat (a new plan
    # that ignored it would put the person wherever the search liked), and the lock stays listed.
    page.fill("#time-limit", "3")
    page.click("#resolve")
    expect(page.locator("#stop-button")).to_be_enabled()
    expect(page.locator("#p-state")).to_contain_text("Done: a ")
    expect(page.locator(f'{plan_cell(page, 2, table)} li.locked[data-participant="{person}"]')).to_have_count(1)
    expect(page.locator("#locks li")).to_have_count(1)

    # 5. On the day: after round 1, someone who is not a host does not come back; re-plan.
    page.select_option("#r-after", "1")
    absentee = page.locator("#plan-slot li[data-participant]:not(.host-mark)").nth(7).get_attribute("data-participant")
    page.check(f'#r-people tr[data-id="{absentee}"] input[name=absent]')
    expect(page.locator("#r-min")).to_have_value("5")
    page.fill("#r-min", "4")  # 34 people left for 7 tables: one runs a seat short
    page.fill("#r-time", "3")
    page.click("#replan-button")
    expect(page.locator("#moves-summary")).to_contain_text("Rounds 1 to 1 stay as printed.")
    for later in (2, 3, 4):
        assert page.locator(f'#plan-slot td[data-round="{later}"] li[data-participant="{absentee}"]').count() == 0
    assert page.locator(f'#plan-slot td[data-round="1"] li[data-participant="{absentee}"]').count() == 1

    # ... and print the new table signs: only those of rounds 2 to 4.
    page.evaluate("window.print = () => { window.printed = true; }")  # no print dialog in a test
    page.click("#print-signs")
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(page.locator("#signs-slot ul[data-round='1']").first).to_be_hidden()
    expect(page.locator("#signs-slot ul[data-round='2']").first).to_be_visible()
    expect(page.locator("#plan-slot table")).to_be_hidden()
    page.emulate_media(media="screen")

    assert problems == []
    page.close()


def test_every_control_is_named_and_reachable_by_keyboard(browser: Browser, server: Server) -> None:
    page, problems = watched(browser, server)
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('input, select, button')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
            .map(el => el.id || el.outerHTML)"""
    )
    assert unnamed == []
    # From the top of the page, Tab reaches the file chooser (hidden from sight, not from the keyboard).
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "files":
            break
    assert page.evaluate("document.activeElement.id") == "files"
    assert problems == []
    page.close()


def test_a_spreadsheet_with_a_mistake_is_named_by_row(browser: Browser, server: Server, tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text("name,absent\nAnna,2\nBen,two\n")
    page, problems = watched(browser, server)
    page.set_input_files("#files", sheet)
    expect(page.locator("#setup-error")).to_contain_text("people.csv, row 3, column 'absent': 'two' is not a round")
    # The answer that carries the message (which chromium logs as a failed load), and nothing else.
    assert problems == [
        f"400 from {server.url}/api/upload",
        "console error: Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]
    page.close()
