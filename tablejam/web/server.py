"""Running the page: uvicorn on localhost (another host only when asked), and a browser with --open."""

from __future__ import annotations

import contextlib
import ipaddress
import threading
import time
import webbrowser
from collections.abc import Callable
from types import FrameType

import uvicorn

from tablejam.web.app import create_app
from tablejam.web.limits import Limits

LOCAL_NAMES = ["localhost", "127.0.0.1", "::1", "[::1]"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def page_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"


class _Server(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Ctrl+C: every solve ends now with its best plan, so that its answer goes out before the server stops
        (uvicorn waits for open requests, which a long solve would keep open until its time limit)."""
        self.config.app.state.pool.shutdown()
        super().handle_exit(sig, frame)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    limits: Limits | None = None,
    say: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted (Ctrl+C stops every solve, each keeping its best plan, and the server)."""
    local = is_loopback(host)
    # On localhost only local host names are answered: a web page cannot reach the server by a rebound domain.
    app = create_app(limits, allowed_hosts=LOCAL_NAMES if local else None)
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
    if not local:
        say(f"warning: serving on {host}: anyone who can reach this machine can use the page (there is no login)")

    def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        bound = server.servers[0].sockets[0].getsockname()[1] if server.servers else port  # port 0: the one chosen
        url = page_url(host, bound)
        say(f"tablejam is at {url} (Ctrl+C stops it)")
        if open_browser:
            webbrowser.open(url)

    threading.Thread(target=announce, name="tablejam-announce", daemon=True).start()
    # uvicorn raises Ctrl+C again once it has shut down every solve: the way it should end, not an error.
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    say("tablejam stopped")
