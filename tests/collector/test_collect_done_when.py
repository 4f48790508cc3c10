"""Issue 15's "Done when", end to end on each database: `bgpub new demo --from landing`, `bgpub project set
demo --collector-url`, `bgpub collect` (its own process), `bgpub build`; headless Chromium submits the
contact form (lands on the thank-you page, the row exists, the SMTP server got the mail) and loads pages
(views counted, no cookie, no address stored); a comment is approved through the API with a key; `bgpub
stats demo` shows it all."""

from __future__ import annotations

import functools
import json
import os
import shutil
import threading
import time
from datetime import timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from aiosmtpd.controller import Controller
from collect_support import CollectProcess, free_port

from bgpub.db.connection import database
from bgpub.db.enums import PostStatus
from bgpub.db.fields import utcnow
from bgpub.db.models import BlogComment, BlogPost, FormSubmission, PageView, Project

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT_MS = 20_000  # an upper bound for slow machines, not a speed assertion
MIN_FILL = 0.5  # seconds a form must have been open (`--min-fill-seconds`; 3 by default)


def fill_time_left(loaded: float) -> float:
    """Milliseconds until the form page loaded at `loaded` (monotonic) has been open a little longer
    than MIN_FILL. The page's script starts its clock before the load event, so its elapsed time is
    at least this; the time spent filling the fields counts, as it does for a person."""
    return max(0.0, (loaded + MIN_FILL + 0.2 - time.monotonic()) * 1000)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def cli(db_target, home, capsys):
    from bgpub.cli import main

    def bgpub(*args: str) -> str:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *args])
        except SystemExit as exc:
            assert not exc.code, capsys.readouterr().err
        return capsys.readouterr().out

    return bgpub


def wait_for(check, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def chromium() -> str:
    path = (
        os.environ.get("BGPUB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if path is None:
        if os.environ.get("BGPUB_REQUIRE_BROWSER") == "1":
            pytest.fail("no Chromium installed (BGPUB_REQUIRE_BROWSER=1)")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    return path


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def static_site(tmp_path):
    """The built folder served on loopback, as any static host would."""
    out = tmp_path / "site"
    out.mkdir()
    server = ThreadingHTTPServer(
        ("127.0.0.1", free_port()), functools.partial(Quiet, directory=str(out))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_done_when(cli, db_target, actor, smtp, static_site):
    executable = chromium()
    inbox, smtp_port = smtp
    out, site_url = static_site
    port = free_port()
    collector_url = f"http://127.0.0.1:{port}"

    cli("new", "demo", "--from", "landing")
    cli("project", "set", "demo", "--collector-url", collector_url)
    cli(
        "project", "set", "demo", "--setting", f"base_url={site_url}"
    )  # where this test serves the site
    cli(
        "integration",
        "add",
        "demo",
        "CUSTOM",
        "mail",
        "smtp_host=127.0.0.1",
        f"smtp_port={smtp_port}",
        "smtp_to=owner@example.com",
    )
    project = Project.get(Project.name == "demo")
    post = BlogPost.create(
        project=project,
        title="Launch notes",
        slug="launch-notes",
        body="Hello",
        status=PostStatus.PUBLISHED,
        published_at=utcnow() - timedelta(days=1),
    )
    # started as the user does before building, and left to start up while the site builds
    server = CollectProcess(db_target.url, "--min-fill-seconds", str(MIN_FILL), port=port)
    try:
        cli("build", "demo", "--out", str(out))
        server.wait_ready()
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{site_url}/contact/", wait_until="load")
                page.goto(f"{site_url}/about/", wait_until="load")
                page.goto(f"{site_url}/contact/", wait_until="load")
                loaded = time.monotonic()
                form = page.locator('form[action$="/contact"]')
                for field in form.locator("input[required], textarea[required]").all():
                    kind = field.get_attribute("type") or "text"
                    field.fill("ada@example.com" if kind == "email" else "Ada Lovelace")
                page.wait_for_timeout(fill_time_left(loaded))  # as a person takes
                form.locator('button[type="submit"]').click()
                page.wait_for_url(f"{site_url}/thanks/", timeout=WAIT_MS)
                assert "Thank you" in page.inner_text("main")
                # a comment through the post page's own form (no JavaScript needed, the script adds the time)
                page.goto(f"{site_url}/blog/{post.slug}/", wait_until="load")
                loaded = time.monotonic()
                comment_form = page.locator(f'form[action$="/c/{project.id}/{post.slug}"]')
                comment_form.locator('[name="name"]').fill("Grace")
                comment_form.locator('[name="body"]').fill("Great notes")
                page.wait_for_timeout(fill_time_left(loaded))
                comment_form.locator('button[type="submit"]').click()
                page.wait_for_url(f"{site_url}/thanks/", timeout=WAIT_MS)
                cookies = context.cookies()
            finally:
                browser.close()
        assert cookies == []  # neither the site nor the collector set one

        [submission] = FormSubmission.select().where(FormSubmission.project == project)
        assert submission.form_name == "contact" and "Ada Lovelace" in submission.data.values()
        wait_for(lambda: inbox.messages, "the notification e-mail")
        assert "Ada Lovelace" in inbox.messages[0] and "owner@example.com" in inbox.messages[0]
        views = wait_for(
            lambda: PageView.select().where(PageView.project == project).count() >= 5, "page views"
        )
        assert views
        dump = json.dumps(
            [
                list(map(str, r))
                for table in ("page_views", "form_submissions")
                for r in database.execute_sql(f"SELECT * FROM {table}").fetchall()
            ]
        )
        assert "127.0.0.1" not in dump and "HeadlessChrome" not in dump  # no address, no user agent

        [comment] = BlogComment.select()
        assert comment.status.value == "PENDING"
        key = (
            cli(
                "org",
                "key",
                "create",
                project.organization.slug,
                "moderator",
                "--permission",
                "read",
                "--permission",
                "write",
            )
            .split("key (shown once): ")[1]
            .strip()
        )
        approved = httpx.post(
            f"{collector_url}/api/v1/projects/demo/comments/{comment.id}/approve",
            headers={"authorization": f"Bearer {key}"},
            timeout=30,
        )
        assert approved.status_code == 200 and approved.json()["status"] == "APPROVED"
        assert BlogComment.get_by_id(comment.id).status.value == "APPROVED"
        assert "Great notes" not in (out / "blog" / post.slug / "index.html").read_text("utf-8")
        cli("publish", "demo")  # the approved comment is part of the next version
        cli("build", "demo", "--out", str(out))
        assert "Great notes" in (out / "blog" / post.slug / "index.html").read_text("utf-8")
    finally:
        server.kill()

    stats = json.loads(cli("stats", "demo", "--json"))
    assert stats["views"] >= 5 and stats["forms"] == {"contact": 1}
    assert {p["name"] for p in stats["pages"]} >= {"/contact/", "/about/", "/thanks/"}
    assert "views" in cli("stats", "demo")
