"""`bgpub preview` as a user runs it: a separate process, a URL on stdout, Ctrl+C stops it cleanly;
its refusals through the entry point in this process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request

import pytest
from tests.inprocess_cli_support import run_bgpub_here
from tests.preview.event_stream import EventStream

WAIT = 30.0


@pytest.fixture
def demo(actor):
    from bgpub.services.blocks import add_block
    from bgpub.services.pages import add_page
    from bgpub.services.projects import create_project

    create_project(actor, "demo")
    add_page(actor, "demo", "home", "Home")
    add_block(actor, "demo", "home", "hero", {"heading": "Served by the CLI"})
    return "demo"


def _run(db_target, home, *args):
    env = dict(os.environ, BGPUB_HOME=str(home), BGPUB_DATABASE_URL=db_target.url)
    return subprocess.Popen(
        [sys.executable, "-m", "bgpub", "preview", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_preview_serves_and_stops_on_ctrl_c(db_target, home, demo, actor):
    from bgpub.services.blocks import set_props

    proc = _run(db_target, home, "demo", "--port", "0", "--no-watch")
    try:
        line = proc.stdout.readline()
        match = re.search(r"previewing demo at (http://127\.0\.0\.1:\d+/)", line)
        assert match, line + proc.stderr.read() if proc.poll() is not None else line
        url = match.group(1)
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            assert b"Served by the CLI" in response.read()
        stream = EventStream(int(url.rsplit(":", 1)[1].strip("/"))).open()
        try:
            set_props(actor, "demo", "home", 0, {"heading": "Changed from this process"})
            events = stream.wait(1)  # the other process notices by itself
            assert events and "index.html" in events[-1]["changed"]
        finally:
            stream.close()
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            assert b"Changed from this process" in response.read()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0, err
        assert "preview stopped" in out
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_unknown_project_prints_one_error_line(db_target, home, actor):
    """Refused before anything is served: the entry point in this process says all a process would
    (the test above is the command's one real process)."""
    env = dict(os.environ, BGPUB_HOME=str(home), BGPUB_DATABASE_URL=db_target.url)
    code, _, err = run_bgpub_here(["preview", "nope", "--port", "0"], env=env)
    assert code != 0
    assert err.startswith("error: ") and "nope" in err
    assert "Traceback" not in err


def test_open_flag_opens_the_browser_on_the_preview_url(db_target, home, demo, monkeypatch):
    import webbrowser

    from click.testing import CliRunner

    import bgpub.cli.preview as cli_preview
    from bgpub.cli import cli

    opened, stopped = [], []
    monkeypatch.setattr(webbrowser, "open", opened.append)

    def no_wait(server):
        stopped.append(server.url)
        server.stop()

    monkeypatch.setattr(cli_preview, "_wait_for_interrupt", no_wait)
    monkeypatch.setenv("BGPUB_DATABASE_URL", db_target.url)
    result = CliRunner().invoke(cli, ["preview", "demo", "--port", "0", "--open", "--no-watch"])
    assert result.exit_code == 0, result.output
    assert opened == stopped and opened[0].startswith("http://127.0.0.1:")
    assert f"previewing demo at {opened[0]}" in result.output


def test_without_port_the_next_free_one_is_taken():
    from bgpub.cli.preview import DEFAULT_PORT, _start
    from bgpub.errors import InvalidInput
    from bgpub.preview.server import PortInUse

    tried = []

    def start(port):
        tried.append(port)
        if len(tried) < 3:
            raise PortInUse("cannot listen: Address already in use", where=f"127.0.0.1:{port}")
        return port

    assert _start(start, None) == DEFAULT_PORT + 2
    tried.clear()
    with pytest.raises(InvalidInput, match="cannot listen"):  # an explicit --port is not changed
        _start(start, 9999)
    assert tried == [9999]


def test_a_host_that_cannot_be_bound_stops_at_once():
    """Found by QA: an address not on this machine was retried on 20 ports, then blamed on the ports."""
    from bgpub.cli.preview import _start
    from bgpub.errors import InvalidInput
    from bgpub.preview.server import SiteServer
    from bgpub.preview.site import PreviewSite

    tried = []

    def start(port):
        tried.append(port)
        return SiteServer(PreviewSite(dict), host="10.255.255.1", port=port).start()

    with pytest.raises(InvalidInput, match="cannot listen on host 10.255.255.1") as caught:
        _start(start, None)
    assert tried == [8000] and caught.value.where == "--host 10.255.255.1"
