"""The web application: the organisers' page, the JSON API, and the page's own endpoints.

    GET  /                         the page
    POST /api/validate             instance -> validate's findings (as `tablejam validate --format json`)
    POST /api/solve                instance -> schedule document (?time_limit=S&seed=N)
    POST /api/check                {instance, schedule} -> the checker's verdict (as `tablejam check --format json`)
    POST /api/replan               {instance, schedule, after_round, absent, arrive, arrivals} -> {instance, schedule}
    GET  /api/schema/{which}       JSON Schema of the instance, the schedule document or a setting
    GET  /api/status               solves running and waiting, and what this server offers
    POST /api/upload               files (multipart) -> {instance, form, source}: the page's first step
    POST /api/draft                {instance, form} -> {instance, findings}: the set-up form applied
    POST /api/jobs                 {instance, time_limit, pins} -> a solve watched live: GET /api/jobs/{id}/events
    POST /api/view                 {instance, schedule} -> the verdict and the report's sections as HTML
    POST /api/export?to=FORMAT     {instance, schedule} -> the file `tablejam export` writes (several: a zip)

Every failure answers `{"error": {"code", "message", "where"}}` (errors.py). Request bodies are capped before
they are read whole (BodyLimit), instances may name no file (received.py), solves are pooled (solves.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tablejam import __version__
from tablejam.errors import InputError
from tablejam.files import parse_model
from tablejam.models.instance import Instance, Participant
from tablejam.models.presets import PRESETS, Setting
from tablejam.models.schedule import Schedule
from tablejam.models.settings import SolverSettings
from tablejam.reports.html import report_style
from tablejam.web.drafts import Draft, SetupForm, Upload, apply_form, draft_from_uploads
from tablejam.web.errors import CODE_INTERNAL, ApiError, ErrorBody
from tablejam.web.limits import Limits
from tablejam.web.outputs import download, export_formats, plan_view, verdict
from tablejam.web.pins import Pin, pinned
from tablejam.web.received import field, findings, parse_json, received_instance, received_schedule
from tablejam.web.solves import Job, SolvePool

log = logging.getLogger("tablejam.web")

# How often a waiting request looks whether its client is still there, and a page's event stream ticks.
DISCONNECT_POLL_S = 0.25
TICK_S = 1.0
UPLOAD_MOST_FILES = 20  # an event file and the spreadsheet and history files it names
EXPORT_ORDER = {"html": 0, "xlsx": 1, "csv": 2}  # the printable report first
EXPORT_LABELS = {"html": "Report (HTML)", "csv": "Tables (CSV, zip)", "xlsx": "Workbook (XLSX)",
                 "breakout": "Breakout rooms (CSV per round)"}  # fmt: skip

# Request bodies as OpenAPI documents them: instances and schedules are referred to by their own JSON Schema
# (the one `tablejam schema` prints); they are read by the engine's loaders, not by FastAPI.
# (Wrapped in allOf: pydantic resolves a bare $ref among the schemas it generates, which these are not.)
InstanceData = Annotated[dict[str, Any], WithJsonSchema({"allOf": [{"$ref": "#/components/schemas/Instance"}]})]
ScheduleData = Annotated[dict[str, Any], WithJsonSchema({"allOf": [{"$ref": "#/components/schemas/Schedule"}]})]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckBody(_Body):
    instance: InstanceData
    schedule: ScheduleData


class ReplanBody(_Body):
    instance: InstanceData
    schedule: ScheduleData = Field(description="The printed schedule.")
    after_round: int = Field(description="Rounds 1..K happened as printed and stay as they are.")
    absent: list[str] = Field(default_factory=list, description="Ids not there from round K+1 on.")
    arrive: list[str] = Field(default_factory=list, description="Ids there from round K+1 on (absent until then).")
    arrivals: list[Participant] = Field(default_factory=list, description="New participants, there from K+1 on.")


class DraftBody(_Body):
    instance: InstanceData
    form: SetupForm


class JobBody(_Body):
    instance: InstanceData
    time_limit: float | None = Field(default=None, gt=0, description="Seconds; the server's default when null.")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    pins: list[Pin] = Field(default_factory=list, description="Locked seats, added to the instance's rules.pins.")


class ReplanAnswer(BaseModel):
    instance: dict[str, Any] = Field(description="The event as it now is (as `replan --instance-out` writes it).")
    schedule: Schedule


SCHEMAS: dict[str, type[BaseModel]] = {"instance": Instance, "schedule": Schedule, "setting": Setting}


def schema_of(which: str) -> dict[str, Any]:
    """The JSON Schema `tablejam schema WHICH` prints."""
    if which == "schedule":
        return Schedule.model_json_schema(mode="serialization")
    return SCHEMAS[which].model_json_schema(mode="validation")


def create_app(limits: Limits | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The application. `allowed_hosts`: the Host headers answered (on localhost: only local names, so that no
    web site can reach the server through a rebound domain name); None answers any."""
    limits = limits or Limits()
    pool = SolvePool(limits.running, limits.queued, limits.jobs_kept)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The first solve should not wait for imports or for the local search to compile (once per installation).
        threading.Thread(target=_warm_up, name="tablejam-warm-up", daemon=True).start()
        yield
        pool.shutdown()

    app = FastAPI(
        title="tablejam",
        version=__version__,
        summary="Plans multi-round networking events: who sits with whom, round by round.",
        description="The JSON API of `tablejam serve`. Every failure answers {error: {code, message, where}}, the "
        "object `tablejam ... --format json` prints: code 2 invalid input (as the CLI's exit code), 75 busy, "
        "70 a bug. Instances sent may name no file.",
        docs_url=None,  # FastAPI's documentation pages load their scripts from the internet; the schema is here
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.limits = limits
    app.state.pool = pool
    _handle_errors(app)
    app.add_middleware(_SecurityHeaders)
    app.add_middleware(_BodyLimit, limit=limits.max_body_bytes)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(packages=[("tablejam.web", "static")]), name="static")
    _page_routes(app, limits)
    _api_routes(app, limits, pool)
    _page_api_routes(app, limits, pool)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _warm_up() -> None:
    from tablejam.solver.local_search import search_ready

    search_ready()


# --- the page -------------------------------------------------------------------------------------------------


def _page_routes(app: FastAPI, limits: Limits) -> None:
    environment = Environment(
        loader=PackageLoader("tablejam.web", "templates"), autoescape=True, undefined=StrictUndefined
    )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        html = environment.get_template("page.html.j2").render(
            version=__version__,
            report_style=Markup(report_style()),
            limits=limits,
            presets={name: setting.description for name, setting in PRESETS.items()},
            exports=sorted(export_formats(), key=lambda fmt: (EXPORT_ORDER.get(fmt, len(EXPORT_ORDER)), fmt)),
            export_labels=EXPORT_LABELS,
        )
        return HTMLResponse(html)


# --- the JSON API ---------------------------------------------------------------------------------------------


def _time_limit(default: float, limits: Limits) -> Any:
    return Query(default, gt=0, le=limits.max_time_limit, description=f"Seconds (at most {limits.max_time_limit:g}).")


def _api_routes(app: FastAPI, limits: Limits, pool: SolvePool) -> None:
    @app.post("/api/validate", tags=["api"], openapi_extra=_body("Instance"), responses=_errors())
    async def validate(request: Request) -> dict[str, Any]:
        """validate's findings: even seating per round, impossibilities found by counting, simple bounds."""
        data = await _json(request)
        return await _off_loop(lambda: findings(received_instance(data, "instance", limits)))

    @app.post("/api/solve", tags=["api"], response_model=Schedule, openapi_extra=_body("Instance"),
              responses=_errors(busy=True))  # fmt: skip
    async def solve(
        request: Request,
        time_limit: float = _time_limit(limits.solve_time_limit, limits),
        seed: int = Query(0, ge=0, le=2**31 - 1),
    ) -> Any:
        """Plan the instance: the schedule document `tablejam solve --format json` prints. A client that disconnects
        stops its solve."""
        data = await _json(request)
        instance = await _off_loop(lambda: received_instance(data, "instance", limits))
        settings = SolverSettings(time_limit=time_limit, workers=limits.workers, seed=seed)
        job = pool.submit(_solving(instance, settings), "solve")
        return await _answer(job, request)

    @app.post("/api/check", tags=["api"], openapi_extra=_body("CheckBody"), responses=_errors())
    async def check(request: Request) -> dict[str, Any]:
        """The checker's verdict on a schedule: every violated rule, and the statistics recomputed."""
        body = await _json(request)

        def judge() -> dict[str, Any]:
            instance = received_instance(field(body, "instance"), "instance", limits)
            return verdict(instance, received_schedule(field(body, "schedule"), "schedule"))

        return await _off_loop(judge)

    @app.post("/api/replan", tags=["api"], response_model=ReplanAnswer, openapi_extra=_body("ReplanBody"),
              responses=_errors(busy=True))  # fmt: skip
    async def replan(
        request: Request,
        time_limit: float = _time_limit(limits.replan_time_limit, limits),
        seed: int = Query(0, ge=0, le=2**31 - 1),
    ) -> Any:
        """Re-plan the rest of an event on the day (as `tablejam replan`): rounds 1..K as printed, the rest solved
        again for the new attendance, moving as few people as the best score allows."""
        body = parse_model(ReplanBody, await _json(request), "request body")
        instance = await _off_loop(lambda: received_instance(body.instance, "instance", limits))
        printed = received_schedule(body.schedule, "schedule")
        settings = SolverSettings(time_limit=time_limit, workers=limits.workers, seed=seed)
        job = pool.submit(_replanning(instance, printed, body, settings), "replan")
        return await _answer(job, request)

    @app.get("/api/schema/{which}", tags=["api"], responses=_errors())
    def schema(which: Literal["instance", "schedule", "setting"]) -> dict[str, Any]:
        """The JSON Schema `tablejam schema WHICH` prints."""
        return schema_of(which)

    @app.get("/api/status", tags=["api"])
    def status() -> dict[str, Any]:
        """Solves running and waiting, this server's limits, and what it offers (export formats)."""
        return {
            **pool.status(),
            "version": __version__,
            "max_time_limit": limits.max_time_limit,
            "max_body_bytes": limits.max_body_bytes,
            "exports": list(export_formats()),
        }


def _solving(instance: Instance, settings: SolverSettings) -> Callable[..., dict[str, Any]]:
    def work(stop: threading.Event, progress: Callable[[float, float, float], None]) -> dict[str, Any]:
        from tablejam.solver import solve  # imports ortools: only once a solve is asked for

        return solve(instance, settings, stop=stop, progress=progress).model_dump(mode="json")

    return work


def _replanning(
    instance: Instance, printed: Schedule, body: ReplanBody, settings: SolverSettings
) -> Callable[..., dict[str, Any]]:
    def work(stop: threading.Event, progress: Callable[[float, float, float], None]) -> dict[str, Any]:
        from tablejam.replan.change import Change
        from tablejam.replan.solve import replan

        known = instance.participant_index
        arrivals = [instance.participants[known[pid]] if pid in known else Participant(id=pid) for pid in body.arrive]
        arrivals += body.arrivals
        change = Change(after_round=body.after_round, absent=tuple(dict.fromkeys(body.absent)),
                        arrivals=tuple(arrivals))  # fmt: skip
        event, schedule = replan(instance, printed, change, settings, stop=stop, progress=progress,
                                 printed_name="schedule")  # fmt: skip
        return {"instance": event.model_dump(mode="json", exclude_defaults=True),
                "schedule": schedule.model_dump(mode="json")}  # fmt: skip

    return work


async def _answer(job: Job, request: Request) -> Any:
    """Wait for `job`, stopping it if the client goes away (the engine then ends promptly)."""
    while not job.finished.is_set():
        await asyncio.sleep(DISCONNECT_POLL_S)
        if not job.stop.is_set() and await request.is_disconnected():
            log.info("client left: stopping %s %s", job.kind, job.id)
            job.stop.set()
    if job.error is not None:
        raise job.error
    if job.result is None:  # stopped before its turn: its client has gone, nobody reads this
        raise ApiError(499, "the client closed the request", "request")
    return JSONResponse(job.result)


# --- the page's own endpoints ---------------------------------------------------------------------------------


def _page_api_routes(app: FastAPI, limits: Limits, pool: SolvePool) -> None:
    @app.post("/api/upload", tags=["page"], response_model=Draft, responses=_errors(),
              openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
                  "type": "object", "properties": {"files": {"type": "array", "items": {
                      "type": "string", "format": "binary"}}}}}}}})  # fmt: skip
    async def upload(request: Request) -> Any:
        """A participant spreadsheet, or an instance file with the files it names (multipart field `files`): the
        instance (as `tablejam init` makes it from a spreadsheet) and the set-up form showing it."""
        try:
            form = await request.form(max_files=UPLOAD_MOST_FILES, max_fields=UPLOAD_MOST_FILES,
                                      max_part_size=limits.max_body_bytes)  # fmt: skip
        except StarletteHTTPException as error:  # python-multipart's limits, or a body that is not multipart
            raise ApiError(400, f"not a file upload: {error.detail}", "files") from None
        files = [item for item in form.getlist("files") if not isinstance(item, str)]
        uploads = [Upload(item.filename or "upload", await item.read()) for item in files]
        await form.close()
        return await _off_loop(lambda: draft_from_uploads(uploads, limits))

    @app.post("/api/draft", tags=["page"], openapi_extra=_body("DraftBody"), responses=_errors())
    async def draft(request: Request) -> dict[str, Any]:
        """The set-up form applied to an instance (a preset sets its objective), with validate's findings."""
        body = parse_model(DraftBody, await _json(request), "request body")

        def drafted() -> dict[str, Any]:
            instance = apply_form(received_instance(body.instance, "instance", limits), body.form)
            return {"instance": instance.model_dump(mode="json", exclude_defaults=True), "findings": findings(instance)}

        return await _off_loop(drafted)

    @app.post("/api/jobs", tags=["page"], status_code=202, openapi_extra=_body("JobBody"),
              responses=_errors(busy=True))  # fmt: skip
    async def start_job(request: Request) -> dict[str, Any]:
        """Start a solve to watch live: its events at /api/jobs/{id}/events, its result at /api/jobs/{id}."""
        body = parse_model(JobBody, await _json(request), "request body")
        time_limit = body.time_limit or limits.solve_time_limit
        if time_limit > limits.max_time_limit:
            raise ApiError(400, f"{time_limit:g} s is more than this server allows ({limits.max_time_limit:g} s)",
                           "time_limit")  # fmt: skip
        instance = await _off_loop(lambda: received_instance(pinned(body.instance, body.pins), "instance", limits))
        settings = SolverSettings(time_limit=time_limit, workers=limits.workers, seed=body.seed)
        job = pool.submit(_solving(instance, settings), "solve", keep=True)
        return {"id": job.id, "events": f"/api/jobs/{job.id}/events"}

    @app.get("/api/jobs/{job_id}", tags=["page"], responses=_errors())
    def job_state(job_id: str) -> dict[str, Any]:
        """The solve's state, its latest progress, and its result once done."""
        return _job(pool, job_id).summary()

    @app.post("/api/jobs/{job_id}/stop", tags=["page"], status_code=202, responses=_errors())
    def stop_job(job_id: str) -> dict[str, Any]:
        """Stop the solve: it ends promptly with the best schedule found so far."""
        job = _job(pool, job_id)
        job.stop.set()
        return {"id": job.id, "state": job.state}

    @app.get("/api/jobs/{job_id}/events", tags=["page"], responses=_errors())
    async def job_events(job_id: str) -> StreamingResponse:
        """Server-sent events: queued, running, progress {time_s, objective, bound, gap}, tick {elapsed_s,
        position} every second, then done {result}, failed {error} or cancelled. Leaving stops the solve."""
        job = _job(pool, job_id)
        return StreamingResponse(_events(job, pool), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})  # fmt: skip

    @app.post("/api/view", tags=["page"], openapi_extra=_body("CheckBody"), responses=_errors())
    async def view(request: Request) -> dict[str, Any]:
        """The checker's verdict and, for a valid schedule, the report's sections (overview, plan, sectors, matrix,
        cards, signs) as HTML."""
        body = await _json(request)

        def shown() -> dict[str, Any]:
            instance = received_instance(field(body, "instance"), "instance", limits)
            return plan_view(instance, received_schedule(field(body, "schedule"), "schedule"))

        return await _off_loop(shown)

    @app.post("/api/export", tags=["page"], openapi_extra=_body("CheckBody"), responses=_errors())
    async def export(request: Request, to: str = Query(description="html, csv, xlsx (csv: a zip of three files)")):
        """What `tablejam export --to FORMAT` writes, for a valid schedule; several files come as one zip."""
        body = await _json(request)

        def exported() -> Response:
            instance = received_instance(field(body, "instance"), "instance", limits)
            made = download(instance, received_schedule(field(body, "schedule"), "schedule"), to)
            disposition = f'attachment; filename="{made.filename}"'
            return Response(made.data, media_type=made.media_type, headers={"Content-Disposition": disposition})

        return await _off_loop(exported)


def _job(pool: SolvePool, job_id: str) -> Job:
    job = pool.job(job_id)
    if job is None:
        raise ApiError(404, f"no solve '{job_id}' on this server (finished long ago, or the server restarted)", "id")
    return job


async def _events(job: Job, pool: SolvePool) -> AsyncIterator[str]:
    """The job's events as server-sent events; a tick every second. A client that leaves stops the job: the
    stream ends only with the job or with the connection."""
    history, queue = job.listen()
    finished = False
    try:
        for event in history:
            yield _sse(event)
            finished = finished or event["event"] in ("done", "failed", "cancelled")
        while not finished:
            try:
                event = await asyncio.wait_for(queue.get(), TICK_S)
            except TimeoutError:
                event = {
                    "event": "tick",
                    "state": job.state,
                    "elapsed_s": job.elapsed(),
                    "position": pool.position(job),
                }
            yield _sse(event)
            finished = event["event"] in ("done", "failed", "cancelled")
    finally:
        job.forget(queue)
        if not finished:  # the page was closed (or lost its connection) mid-solve
            job.stop.set()


def _sse(event: dict[str, Any]) -> str:
    return f"event: {event['event']}\ndata: {json.dumps(event, allow_nan=False)}\n\n"


# --- shared plumbing ------------------------------------------------------------------------------------------


async def _json(request: Request) -> Any:
    return parse_json(await request.body(), "request body")


async def _off_loop(work: Callable[[], Any]) -> Any:
    """Validating and checking take milliseconds to a second on large events: in a thread, so that the server
    goes on answering meanwhile (solve progress, other requests)."""
    return await asyncio.to_thread(work)


def _body(model: str) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "$ref": f"#/components/schemas/{model}"}}}}}  # fmt: skip


def _errors(busy: bool = False) -> dict[int | str, dict[str, Any]]:
    answers: dict[int | str, dict[str, Any]] = {
        "4XX": {"model": ErrorBody, "description": "Invalid input: the error object, as the CLI's --format json"},
    }
    if busy:
        answers[503] = {"model": ErrorBody, "description": "Busy: every solve slot and queue place is taken (code 75)"}
    return answers


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's description, with the engine's own schemas for the bodies it reads itself."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, summary=app.summary,
                               description=app.description, routes=app.routes)  # fmt: skip
        _, definitions = models_json_schema(
            [(Instance, "validation"), (Schedule, "serialization"), (CheckBody, "validation"),
             (ReplanBody, "validation"), (DraftBody, "validation"), (JobBody, "validation")],
            ref_template="#/components/schemas/{model}",
        )  # fmt: skip
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in definitions.get("$defs", {}).items():
            schemas.setdefault(name, schema)
        app.openapi_schema = document
    return app.openapi_schema


def _handle_errors(app: FastAPI) -> None:
    def answer(error: ApiError) -> JSONResponse:
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)

    async def api_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return answer(error)

    async def input_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, InputError)
        return answer(ApiError.from_input(error))

    async def invalid_request(request: Request, error: Exception) -> JSONResponse:
        """FastAPI's own checks (query parameters, the path): said as the CLI would, field first."""
        assert isinstance(error, RequestValidationError)
        lines = []
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"] if part not in ("query", "path", "body"))
            lines.append(f"{where}: {problem['msg']} (got {problem.get('input')!r})")
        first = error.errors()[0]["loc"] if error.errors() else ()
        where = ".".join(str(part) for part in first if part not in ("query", "path", "body"))
        return answer(ApiError(400, "\n  ".join(lines) or "invalid request", where))

    async def http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        message = "no such page or endpoint" if error.status_code == 404 else str(error.detail)
        return answer(ApiError(error.status_code, message, request.url.path, headers=dict(error.headers or {})))

    async def bug(request: Request, error: Exception) -> JSONResponse:
        # Starlette raises the error again once this answer is sent, so that uvicorn logs it with its traceback.
        return answer(ApiError(500, "tablejam failed on this request (a bug: please report it)", "", CODE_INTERNAL))

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, bug)


class _BodyLimit:
    """Refuse a request body above `limit` bytes before reading it whole: at once by its Content-Length, or as
    soon as a body sent in chunks passes the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = ApiError(413, f"the request body is larger than this server takes ({self.limit} bytes)",
                             "request body")  # fmt: skip
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            response = JSONResponse(too_large.body(), status_code=413, headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise too_large
            return message

        await self.app(scope, limited, send)


class _SecurityHeaders:
    """The page fetches nothing from elsewhere and runs only its own script (the report's inline styles stay)."""

    POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")  # fmt: skip

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", self.POLICY.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer")]  # fmt: skip
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
