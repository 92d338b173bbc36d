// tablejam's page: set up, solve, look, adjust, re-plan. Plain JavaScript, no build step, nothing fetched from
// elsewhere. The server does the work (the engine, the checker, the report's sections); this script sends what the
// organiser chose and shows the answers. Names typed by participants are only ever set as text, never as HTML; the
// HTML inserted comes from the server's report templates, which escape them.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const SECTIONS = ["overview", "plan", "sectors", "matrix", "cards", "signs"];

  const state = {
    base: null, // the uploaded event, as the server read it
    instance: null, // the event as the form makes it: what is solved
    schedule: null, // the plan shown (after moves: as moved)
    undo: [], // plans before each move
    locks: new Map(), // "id@round" -> {participant, table, rounds}
    newcomers: [],
    stream: null,
    draftSeq: 0,
    printedAfter: null, // after a re-plan: rounds 1..K stayed as printed
  };

  // --- talking to the server -----------------------------------------------------------------------------------

  class Problem extends Error {
    constructor(error, status) {
      super(error.message || "something went wrong");
      this.where = error.where || "";
      this.code = error.code;
      this.status = status;
    }
  }

  async function api(path, body, raw = false) {
    const init = { method: body === undefined ? "GET" : "POST", headers: {} };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new Problem({ message: "the tablejam server does not answer: is it still running?" }, 0);
    }
    if (raw && response.ok) return response;
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      throw new Problem((data && data.error) || { message: `the server answered ${response.status}` }, response.status);
    }
    return data;
  }

  function said(error) {
    return error.where ? `${error.where}: ${error.message}` : error.message;
  }

  function showProblem(element, error) {
    element.textContent = said(error);
    element.hidden = false;
  }

  function element(tag, text, className) {
    const made = document.createElement(tag);
    if (text !== undefined) made.textContent = text;
    if (className) made.className = className;
    return made;
  }

  function nameOf(id) {
    const person = state.instance && state.instance.participants.find((p) => p.id === id);
    return person ? person.name || person.id : id;
  }

  function number(value) {
    if (value === null || value === undefined) return "-";
    return String(Math.round(value * 100) / 100);
  }

  function percent(value) {
    return value === null || value === undefined ? "-" : `${(value * 100).toFixed(1)} %`;
  }

  function saveBlob(blob, filename) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function saveJson(data, filename) {
    saveBlob(new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" }), filename);
  }

  function stem() {
    const name = (state.instance && state.instance.name) || "event";
    return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "event";
  }

  // --- 1. set up -----------------------------------------------------------------------------------------------

  async function upload(files) {
    if (!files.length) return;
    const data = new FormData();
    for (const file of files) data.append("files", file, file.name);
    const status = $("upload-status");
    status.textContent = `Reading ${[...files].map((f) => f.name).join(", ")} …`;
    $("setup-error").hidden = true;
    try {
      const draft = await api("/api/upload", data);
      state.base = draft.instance;
      fillForm(draft.form);
      $("setup-form").hidden = false;
      const people = draft.instance.participants.length;
      const what = draft.source === "spreadsheet" ? "the spreadsheet" : "the event file";
      status.textContent = `${people} participants from ${what}. Check the numbers and rules below, then solve.`;
      await redraft();
    } catch (error) {
      status.textContent = "";
      showProblem($("setup-error"), error);
    }
  }

  function fillForm(form) {
    $("f-name").value = form.name || "";
    $("f-rounds").value = form.rounds;
    $("f-tables").value = form.tables;
    $("f-seats").value = form.seats;
    $("f-min").value = form.min === null || form.min === undefined ? "" : form.min;
    $("f-cap").value = form.max_per_table === null || form.max_per_table === undefined ? "" : form.max_per_table;
    $("f-colleagues").checked = form.colleagues !== "allow";
    $("f-repeats").value = form.repeats;
    $("f-preset").value = form.preset || "";
  }

  function whole(id) {
    const text = $(id).value.trim();
    return text === "" ? null : Number(text);
  }

  function readForm() {
    return {
      name: $("f-name").value,
      rounds: whole("f-rounds"),
      tables: whole("f-tables"),
      seats: whole("f-seats"),
      min: whole("f-min"),
      max_per_table: whole("f-cap"),
      colleagues: $("f-colleagues").checked ? "apart" : "allow",
      repeats: $("f-repeats").value,
      preset: $("f-preset").value || null,
    };
  }

  async function redraft() {
    const seq = ++state.draftSeq;
    try {
      const answer = await api("/api/draft", { instance: state.base, form: readForm() });
      if (seq !== state.draftSeq) return; // a later change is on its way
      state.instance = answer.instance;
      $("setup-error").hidden = true;
      showFindings(answer.findings);
      if (state.schedule) $("p-state").textContent = "The set-up changed since the plan below was made: solve again.";
    } catch (error) {
      if (seq !== state.draftSeq) return;
      state.instance = null;
      $("findings").hidden = true;
      showProblem($("setup-error"), error);
      readyToSolve(false);
    }
  }

  function showFindings(findings) {
    $("findings").hidden = false;
    const list = $("impossibilities");
    list.replaceChildren();
    if (findings.feasible_by_counting) {
      $("findings-verdict").textContent = "Nothing impossible found by counting: ready to solve.";
      $("findings-verdict").className = "fine";
    } else {
      $("findings-verdict").textContent = "Impossible as it stands; change the numbers or rules above:";
      $("findings-verdict").className = "problem";
      for (const item of findings.impossibilities) list.append(element("li", `${item.message} [${item.rule}]`));
    }
    $("findings-text").textContent = findings.text;
    readyToSolve(findings.feasible_by_counting);
  }

  function readyToSolve(ready) {
    $("solve").hidden = false;
    $("solve-button").disabled = !ready || state.stream !== null;
  }

  // --- 2. solve ------------------------------------------------------------------------------------------------

  async function startSolve(pins) {
    if (!state.instance) return;
    const limit = Number($("time-limit").value) || 20;
    $("no-plan").hidden = true;
    try {
      // The one place the page sends locked seats; the server adds them to the instance as rules.pins.
      const answer = await api("/api/jobs", { instance: state.instance, time_limit: limit, pins });
      watch(answer.events, limit);
    } catch (error) {
      showProblem($("no-plan"), error);
    }
  }

  function watch(url, limit) {
    const source = new EventSource(url);
    state.stream = source;
    $("progress").hidden = false;
    $("progress-bar").max = limit;
    $("progress-bar").value = 0;
    for (const id of ["p-objective", "p-bound", "p-gap"]) $(id).textContent = "-";
    $("p-time").textContent = "0 s";
    $("p-state").textContent = "Starting …";
    $("solve-button").disabled = true;
    $("resolve").disabled = true;
    $("stop-button").disabled = false;
    $("stop-button").dataset.job = url.split("/")[3];

    const data = (event) => JSON.parse(event.data);
    source.addEventListener("queued", (event) => {
      const ahead = data(event).position;
      $("p-state").textContent = ahead ? `Waiting: ${ahead} solve(s) ahead on this server.` : "Starting …";
    });
    source.addEventListener("running", () => {
      $("p-state").textContent = "Solving: the best plan so far is kept if you stop.";
    });
    source.addEventListener("tick", (event) => {
      const tick = data(event);
      if (tick.state === "queued") {
        $("p-state").textContent = `Waiting: ${tick.position} solve(s) ahead on this server.`;
        return;
      }
      $("p-time").textContent = `${Math.round(tick.elapsed_s)} s of ${limit} s`;
      $("progress-bar").value = Math.min(limit, tick.elapsed_s);
    });
    source.addEventListener("progress", (event) => {
      const progress = data(event);
      $("p-objective").textContent = number(progress.objective);
      $("p-bound").textContent = number(progress.bound);
      $("p-gap").textContent = percent(progress.gap);
    });
    source.addEventListener("done", (event) => {
      finishWatching();
      received(data(event).result);
    });
    source.addEventListener("failed", (event) => {
      finishWatching();
      showProblem($("no-plan"), data(event).error);
    });
    source.addEventListener("cancelled", () => {
      finishWatching();
      $("p-state").textContent = "Stopped before it started.";
    });
  }

  function finishWatching() {
    if (state.stream) state.stream.close();
    state.stream = null;
    $("stop-button").disabled = true;
    $("solve-button").disabled = state.instance === null;
    $("resolve").disabled = state.instance === null;
  }

  async function stopSolve() {
    const job = $("stop-button").dataset.job;
    if (!job) return;
    $("stop-button").disabled = true;
    $("p-state").textContent = "Stopping: keeping the best plan so far …";
    try {
      await api(`/api/jobs/${job}/stop`, {});
    } catch (error) {
      showProblem($("no-plan"), error);
    }
  }

  async function received(schedule) {
    $("progress-bar").value = $("progress-bar").max;
    if (!schedule.rounds.length) {
      const box = $("no-plan");
      box.replaceChildren(element("p", schedule.status === "infeasible" ? "No plan can keep every rule:" : "No plan found:"));
      const list = element("ul");
      for (const line of schedule.explanation) list.append(element("li", line));
      box.append(list);
      box.hidden = false;
      $("p-state").textContent = "";
      return;
    }
    const gap = schedule.gap === null ? "" : `, at most ${percent(schedule.gap)} from the best possible`;
    $("p-state").textContent = `Done: a ${schedule.status} plan, score ${number(schedule.objective)}${gap}.`;
    if (schedule.solver) $("p-time").textContent = `${number(schedule.solver.time_s)} s`;
    $("p-objective").textContent = number(schedule.objective);
    $("p-bound").textContent = number(schedule.bound);
    $("p-gap").textContent = percent(schedule.gap);
    state.schedule = schedule;
    state.undo = [];
    state.printedAfter = null;
    $("verdict").replaceChildren();
    await showPlan();
    $("look").scrollIntoView({ block: "start" });
  }

  // --- 3. look -------------------------------------------------------------------------------------------------

  async function showPlan() {
    const answer = await api("/api/view", { instance: state.instance, schedule: state.schedule });
    if (answer.sections) {
      for (const name of SECTIONS) $(`${name}-slot`).innerHTML = answer.sections[name];
    }
    for (const id of ["look", "adjust", "day"]) $(id).hidden = false;
    markLocks();
    markEarlierSigns();
    fillMoveForm();
    fillDayForm();
    return answer;
  }

  async function exportPlan(format) {
    try {
      const response = await api(`/api/export?to=${encodeURIComponent(format)}`,
        { instance: state.instance, schedule: state.schedule }, true);
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename="([^"]+)"/.exec(disposition);
      saveBlob(await response.blob(), match ? match[1] : `${stem()}.${format}`);
    } catch (error) {
      showVerdictProblem(error);
    }
  }

  // Printing shows every view: closed <details> would print only their titles.
  let closedForPrint = [];
  function openViewsForPrint() {
    closedForPrint = [...document.querySelectorAll("details.view:not([open])")];
    for (const details of closedForPrint) details.open = true;
  }
  function closeViewsAfterPrint() {
    for (const details of closedForPrint) details.open = false;
    closedForPrint = [];
    document.body.classList.remove("print-signs");
  }

  // --- 4. adjust -----------------------------------------------------------------------------------------------

  function seatOf(schedule, id, round) {
    const seated = schedule.rounds.find((r) => r.round === round);
    const table = seated && seated.tables.find((t) => t.participants.includes(id));
    return table ? table.table : null;
  }

  async function move(id, round, table, lock) {
    const from = seatOf(state.schedule, id, round);
    if (from === null) return;
    const key = `${id}@${round}`;
    const lockBefore = state.locks.get(key); // an undo restores it
    if (lock) state.locks.set(key, { participant: id, table, rounds: [round] });
    if (from === table) {
      showLocks();
      markLocks();
      say(`${nameOf(id)} stays at ${table} in round ${round}${lock ? ", locked" : ""}.`);
      return;
    }
    state.undo.push({ schedule: state.schedule, id, round, from, key, lockBefore });
    showLocks();
    const schedule = structuredClone(state.schedule);
    const seated = schedule.rounds.find((r) => r.round === round);
    for (const t of seated.tables) t.participants = t.participants.filter((p) => p !== id);
    let target = seated.tables.find((t) => t.table === table);
    if (!target) {
      target = { table, participants: [] };
      seated.tables.push(target);
    }
    target.participants.push(id);
    // Edited by hand: the figures the solver stated no longer hold (the checker recomputes them); the bound does.
    Object.assign(schedule, { status: "feasible", objective: null, gap: null, stats: null, solver: null });
    state.schedule = schedule;
    moveInPlan(id, round, table);
    await judge(`${nameOf(id)} moved from ${from} to ${table} in round ${round}.`);
  }

  function moveInPlan(id, round, table) {
    // The plan shows the move at once, even where the rules it breaks leave no report to render.
    const plan = $("plan-slot");
    const item = plan.querySelector(`td[data-round="${round}"] li[data-participant="${CSS.escape(id)}"]`);
    const cell = plan.querySelector(`td[data-round="${round}"][data-table="${CSS.escape(table)}"] ul`);
    if (!item || !cell) return;
    const left = item.parentElement;
    cell.querySelector("li.note")?.remove();
    cell.append(item);
    if (!left.querySelector("li")) left.append(element("li", "empty", "note"));
  }

  async function judge(what) {
    for (const cell of $("plan-slot").querySelectorAll(".broken")) cell.classList.remove("broken");
    try {
      const answer = await showPlan();
      const box = $("verdict");
      box.replaceChildren(element("p", what));
      if (answer.valid) {
        box.append(element("p", `The plan keeps every rule. Score now ${number(answer.stats.objective)}.`, "fine"));
      } else {
        box.append(element("p", `The plan now breaks ${answer.violations.length} rule(s):`, "problem"));
        const list = element("ul");
        for (const violation of answer.violations) {
          list.append(element("li", `${violation.rule}: ${violation.message}`));
          if (violation.round !== null && violation.table !== null) {
            const cell = $("plan-slot").querySelector(
              `td[data-round="${violation.round}"][data-table="${CSS.escape(violation.table)}"]`);
            cell?.classList.add("broken");
          }
        }
        box.append(list);
      }
      $("undo").hidden = state.undo.length === 0;
    } catch (error) {
      showVerdictProblem(error);
    }
  }

  function say(text) {
    $("verdict").replaceChildren(element("p", text));
  }

  function showVerdictProblem(error) {
    $("verdict").replaceChildren(element("p", said(error), "problem"));
  }

  async function undo() {
    const last = state.undo.pop();
    if (!last) return;
    state.schedule = last.schedule;
    if (last.lockBefore) state.locks.set(last.key, last.lockBefore);
    else state.locks.delete(last.key);
    showLocks();
    moveInPlan(last.id, last.round, last.from);
    await judge(`Undone: ${nameOf(last.id)} is back at ${last.from} in round ${last.round}.`);
  }

  function fillMoveForm() {
    const rounds = state.schedule.rounds.map((r) => r.round);
    const roundSelect = $("m-round");
    const chosen = Number(roundSelect.value) || rounds[0];
    roundSelect.replaceChildren(...rounds.map((r) => new Option(`Round ${r}`, r, false, r === chosen)));
    fillPeople();
    const tables = tableIds();
    $("m-table").replaceChildren(...tables.map((t) => new Option(t, t)));
  }

  function tableIds() {
    const tables = state.instance.tables;
    if (Array.isArray(tables)) return tables.map((t) => t.id);
    return Array.from({ length: tables.count }, (_, k) => `T${k + 1}`);
  }

  function fillPeople() {
    const round = Number($("m-round").value);
    const seated = state.schedule.rounds.find((r) => r.round === round);
    const people = [];
    for (const table of seated ? seated.tables : []) {
      for (const id of table.participants) people.push({ id, table: table.table, name: nameOf(id) });
    }
    people.sort((a, b) => a.name.localeCompare(b.name));
    const chosen = $("m-person").value;
    $("m-person").replaceChildren(
      ...people.map((p) => new Option(`${p.name} (now ${p.table})`, p.id, false, p.id === chosen)));
  }

  function showLocks() {
    const list = $("locks");
    list.replaceChildren();
    for (const [key, pin] of state.locks) {
      const item = element("li", `${nameOf(pin.participant)} at ${pin.table} in round ${pin.rounds.join(", ")} `);
      const unlock = element("button", "Unlock", "secondary small");
      unlock.type = "button";
      unlock.setAttribute("aria-label", `Unlock ${nameOf(pin.participant)} in round ${pin.rounds.join(", ")}`);
      unlock.addEventListener("click", () => {
        state.locks.delete(key);
        showLocks();
        markLocks();
      });
      item.append(unlock);
      list.append(item);
    }
    $("locks-empty").hidden = state.locks.size > 0;
  }

  function markLocks() {
    const plan = $("plan-slot");
    for (const item of plan.querySelectorAll("li.locked")) item.classList.remove("locked");
    for (const pin of state.locks.values()) {
      for (const round of pin.rounds) {
        const item = plan.querySelector(`td[data-round="${round}"] li[data-participant="${CSS.escape(pin.participant)}"]`);
        item?.classList.add("locked");
      }
    }
    for (const item of plan.querySelectorAll("li[data-participant]")) {
      item.draggable = true;
      item.title = item.classList.contains("locked") ? "locked (drag to move)" : "drag to another table";
    }
  }

  function enablePlanDragging() {
    const plan = $("plan-slot");
    let dragged = null;
    plan.addEventListener("dragstart", (event) => {
      const item = event.target.closest && event.target.closest("li[data-participant]");
      if (!item) return;
      const cell = item.closest("td[data-round]");
      dragged = { id: item.dataset.participant, round: cell.dataset.round };
      event.dataTransfer.setData("text/plain", item.dataset.participant);
      event.dataTransfer.effectAllowed = "move";
    });
    plan.addEventListener("dragover", (event) => {
      const cell = event.target.closest && event.target.closest("td[data-round]");
      if (!cell || !dragged || cell.dataset.round !== dragged.round) return; // only within the same round
      event.preventDefault();
      cell.classList.add("drop-target");
    });
    plan.addEventListener("dragleave", (event) => {
      const cell = event.target.closest && event.target.closest("td[data-round]");
      cell?.classList.remove("drop-target");
    });
    plan.addEventListener("drop", (event) => {
      const cell = event.target.closest && event.target.closest("td[data-round]");
      if (!cell || !dragged) return;
      event.preventDefault();
      cell.classList.remove("drop-target");
      const { id, round } = dragged;
      dragged = null;
      move(id, Number(round), cell.dataset.table, $("m-lock").checked);
    });
    plan.addEventListener("dragend", () => {
      dragged = null;
      for (const cell of plan.querySelectorAll(".drop-target")) cell.classList.remove("drop-target");
    });
  }

  // --- 5. on the day -------------------------------------------------------------------------------------------

  function fillDayForm() {
    const rounds = state.instance.rounds;
    const after = $("r-after");
    const chosen = Number(after.value) || 1;
    const choices = [];
    for (let k = 0; k < rounds; k++) {
      choices.push(new Option(k === 0 ? "none yet" : `rounds 1 to ${k}`, k, false, k === Math.min(chosen, rounds - 1)));
    }
    after.replaceChildren(...choices);
    $("r-min").value = fewestAtATable(state.instance);
    const body = $("r-people");
    body.replaceChildren();
    const people = [...state.instance.participants].sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id));
    for (const person of people) {
      const row = element("tr");
      row.dataset.id = person.id;
      row.dataset.name = (person.name || person.id).toLowerCase();
      row.append(element("th", person.name || person.id));
      row.firstChild.scope = "row";
      for (const kind of ["absent", "arrive"]) {
        const cell = element("td");
        const box = element("input");
        box.type = "checkbox";
        box.name = kind;
        box.value = person.id;
        box.setAttribute("aria-label", `${person.name || person.id} ${kind === "absent" ? "is not here" : "arrived"}`);
        cell.append(box);
        row.append(cell);
      }
      body.append(row);
    }
    updateDayChoices();
  }

  function updateDayChoices() {
    const after = Number($("r-after").value);
    const later = Array.from({ length: state.instance.rounds - after }, (_, k) => after + 1 + k);
    for (const row of $("r-people").rows) {
      const person = state.instance.participants.find((p) => p.id === row.dataset.id);
      const absent = new Set(person.absent || []);
      const attendsLater = later.some((r) => !absent.has(r));
      const missesLater = later.some((r) => absent.has(r));
      row.querySelector("input[name=absent]").disabled = !attendsLater;
      row.querySelector("input[name=arrive]").disabled = !missesLater;
    }
  }

  function filterDay() {
    const text = $("r-filter").value.trim().toLowerCase();
    for (const row of $("r-people").rows) row.hidden = text !== "" && !row.dataset.name.includes(text);
  }

  function addNewcomer() {
    const id = $("n-id").value.trim();
    if (!id) {
      showProblem($("replan-error"), { message: "a new arrival needs an id", where: "id" });
      return;
    }
    const person = { id };
    for (const [field, input] of [["name", "n-name"], ["sector", "n-sector"], ["company", "n-company"]]) {
      const value = $(input).value.trim();
      if (value) person[field] = value;
    }
    state.newcomers.push(person);
    for (const input of ["n-id", "n-name", "n-sector", "n-company"]) $(input).value = "";
    showNewcomers();
  }

  function showNewcomers() {
    const list = $("newcomers");
    list.replaceChildren();
    state.newcomers.forEach((person, k) => {
      const item = element("li", `${person.name || person.id} (${person.id}) arrives `);
      const remove = element("button", "Remove", "secondary small");
      remove.type = "button";
      remove.addEventListener("click", () => {
        state.newcomers.splice(k, 1);
        showNewcomers();
      });
      item.append(remove);
      list.append(item);
    });
  }

  async function replan() {
    const ticked = (kind) =>
      [...$("r-people").querySelectorAll(`input[name=${kind}]:checked:not(:disabled)`)].map((box) => box.value);
    const after = Number($("r-after").value);
    const limit = Number($("r-time").value) || 5;
    const body = {
      instance: withMinimum(state.instance, whole("r-min")), schedule: state.schedule, after_round: after,
      absent: ticked("absent"), arrive: ticked("arrive"), arrivals: state.newcomers,
    };
    $("replan-error").hidden = true;
    $("replan-button").disabled = true;
    $("replan-button").textContent = "Re-planning …";
    try {
      const answer = await api(`/api/replan?time_limit=${limit}`, body);
      if (!answer.schedule.rounds.length) {
        showProblem($("replan-error"), { message: answer.schedule.explanation.join(" ") });
        return;
      }
      state.instance = answer.instance;
      state.schedule = answer.schedule;
      state.undo = [];
      state.newcomers = [];
      showNewcomers();
      state.printedAfter = after;
      // Locks of rounds already held no longer matter.
      for (const [key, pin] of state.locks) if (pin.rounds.every((r) => r <= after)) state.locks.delete(key);
      showLocks();
      await showPlan();
      showMoves(answer.schedule.replanned, after);
    } catch (error) {
      showProblem($("replan-error"), error);
    } finally {
      $("replan-button").disabled = false;
      $("replan-button").textContent = "Re-plan the rest";
    }
  }

  function fewestAtATable(instance) {
    const tables = instance.tables;
    return Array.isArray(tables) ? Math.min(...tables.map((t) => t.min || 0)) : tables.min || 0;
  }

  function withMinimum(instance, least) {
    // Lowering the minimums keeps the printed rounds valid; raising them is the set-up's business.
    if (least === null || least >= fewestAtATable(instance)) return instance;
    const changed = structuredClone(instance);
    if (Array.isArray(changed.tables)) for (const table of changed.tables) table.min = Math.min(table.min || 0, least);
    else changed.tables.min = least;
    return changed;
  }

  function showMoves(replanned, after) {
    const moves = replanned ? replanned.moves : [];
    const body = $("moves-table").tBodies[0];
    body.replaceChildren();
    for (const m of moves) {
      const row = element("tr");
      for (const text of [m.round, nameOf(m.participant), m.from_table, m.to_table]) row.append(element("td", String(text)));
      body.append(row);
    }
    const people = new Set(moves.map((m) => m.participant)).size;
    const kept = after ? `Rounds 1 to ${after} stay as printed. ` : "";
    $("moves-summary").textContent = moves.length
      ? `${kept}${people} ${people === 1 ? "person moves" : "people move"} from their printed tables (${moves.length} seat(s)).`
      : `${kept}Nobody moves from their printed table.`;
    $("moves-table").hidden = moves.length === 0;
    $("replan-result").hidden = false;
  }

  function markEarlierSigns() {
    for (const list of document.querySelectorAll("#signs-slot ul[data-round]")) {
      const earlier = state.printedAfter !== null && Number(list.dataset.round) <= state.printedAfter;
      list.closest(".sign")?.classList.toggle("earlier", earlier);
    }
  }

  function printNewSigns() {
    document.body.classList.add("print-signs");
    $("signs-slot").closest("details").open = true; // they stay open: it is what was asked for
    window.print();
  }

  // --- wiring --------------------------------------------------------------------------------------------------

  function debounce(action, ms) {
    let timer = null;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(action, ms);
    };
  }

  document.addEventListener("DOMContentLoaded", () => {
    const drop = $("drop");
    $("files").addEventListener("change", (event) => upload(event.target.files));
    // A file dropped anywhere else would make the browser leave the page to show it.
    for (const kind of ["dragover", "drop"]) {
      window.addEventListener(kind, (event) => {
        if (event.dataTransfer && [...event.dataTransfer.types].includes("Files")) event.preventDefault();
      });
    }
    drop.addEventListener("dragover", (event) => drop.classList.add("over"));
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (event) => {
      drop.classList.remove("over");
      if (event.dataTransfer.files.length) upload(event.dataTransfer.files);
    });

    const later = debounce(redraft, 350);
    $("setup-form").addEventListener("input", later);
    $("setup-form").addEventListener("change", later);
    $("setup-form").addEventListener("submit", (event) => event.preventDefault());
    $("save-event").addEventListener("click", () => saveJson(state.instance, `${stem()}.json`));

    $("solve-form").addEventListener("submit", (event) => {
      event.preventDefault();
      startSolve([]);
    });
    $("stop-button").addEventListener("click", stopSolve);

    for (const button of document.querySelectorAll("[data-export]")) {
      button.addEventListener("click", () => exportPlan(button.dataset.export));
    }
    $("save-plan").addEventListener("click", () => saveJson(state.schedule, `${stem()}-plan.json`));
    $("print-plan").addEventListener("click", () => window.print());
    window.addEventListener("beforeprint", openViewsForPrint);
    window.addEventListener("afterprint", closeViewsAfterPrint);

    enablePlanDragging();
    $("m-round").addEventListener("change", fillPeople);
    $("move-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const person = $("m-person").value;
      if (person) move(person, Number($("m-round").value), $("m-table").value, $("m-lock").checked);
    });
    const undoButton = element("button", "Undo the last move", "secondary");
    undoButton.type = "button";
    undoButton.id = "undo";
    undoButton.hidden = true;
    undoButton.addEventListener("click", undo);
    $("move-form").append(undoButton);
    $("resolve").addEventListener("click", () => startSolve([...state.locks.values()]));

    $("r-after").addEventListener("change", updateDayChoices);
    $("r-filter").addEventListener("input", filterDay);
    $("n-add").addEventListener("click", addNewcomer);
    $("replan-form").addEventListener("submit", (event) => {
      event.preventDefault();
      replan();
    });
    $("print-signs").addEventListener("click", printNewSigns);
  });
})();
