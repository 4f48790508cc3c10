"""`bgpub schedule run`: a scheduled post goes live once its time has come, once; the clock is moved, never slept."""

from __future__ import annotations

import io
import sys

import pytest
from blog_support import Clock

from bgpub.db.models import BlogPost, Version
from bgpub.errors import PublishError
from bgpub.services import posts, projects, scheduling
from bgpub.services.targets import default_site_path


@pytest.fixture
def blog(actor, org, monkeypatch, home):
    """The blog starter with the real component library, and a clock at 1 December 2026."""
    monkeypatch.delenv("BGPUB_COMPONENTS_PATH", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    clock = Clock("2026-12-01 08:00:00")
    monkeypatch.setattr(posts, "now", clock)
    project = projects.create_project(actor, "journal", starter="blog")
    return project, clock


def test_schedule_run_publishes_when_due_and_only_once(bgpub, blog):
    project, clock = blog
    done = bgpub(
        "post",
        "new",
        "journal",
        "Christmas ride",
        "--schedule",
        "2026-12-24 09:00",
        "--tag",
        "winter",
    )
    assert done.code == 0, done.err
    assert bgpub("post", "new", "journal", "Secret draft", "--draft").code == 0
    assert bgpub("schedule", "run").out == ""  # nothing due yet: no publish
    assert Version.select().count() == 0
    clock.move_to("2026-12-24 09:00:00")
    done = bgpub("schedule", "run")
    assert (done.code, done.out) == (0, "published journal as version 1 (christmas-ride)\n"), (
        done.err
    )
    page = default_site_path(project) / "blog" / "christmas-ride" / "index.html"
    assert page.is_file() and "Christmas ride" in page.read_text()
    assert not (
        default_site_path(project) / "blog" / "secret-draft"
    ).exists()  # drafts never go out
    assert BlogPost.get(BlogPost.slug == "christmas-ride").status == "PUBLISHED"
    assert bgpub("schedule", "run").out == "" and Version.select().count() == 1  # once


def test_schedule_run_every_loops_until_stopped(bgpub, blog, monkeypatch):
    from bgpub.cli import schedule as schedule_cli

    project, clock = blog
    bgpub("post", "new", "journal", "A", "--schedule", "2026-12-02 09:00")
    bgpub("post", "new", "journal", "B", "--schedule", "2026-12-03 09:00")
    ticks = []

    def sleep(
        seconds: float,
    ) -> None:  # each "sleep" moves the clock a day; the third stops the loop
        ticks.append(seconds)
        if len(ticks) == 3:
            raise KeyboardInterrupt
        clock.move_to(f"2026-12-0{len(ticks) + 1} 10:00:00")

    monkeypatch.setattr(schedule_cli, "sleep", sleep)
    done = bgpub("schedule", "run", "--every", "5m")
    assert done.code == 0, done.err
    assert (
        done.out
        == "published journal as version 1 (a)\npublished journal as version 2 (b)\nstopped\n"
    )
    assert ticks == [300, 300, 300]


def test_schedule_run_refuses_a_bad_interval(bgpub):
    for every in ("0", "5x", "", "5s", "-1m", "1.5m"):
        done = bgpub("schedule", "run", "--every", every)
        assert done.code != 0 and done.err.startswith("error: --every: invalid interval"), every
        assert done.err.count("\n") == 1


def test_a_failed_publish_leaves_the_posts_scheduled_for_the_next_run(actor, blog):
    project, clock = blog
    posts.create_post(actor, "journal", "Due", status="SCHEDULED", publish_at="2026-12-02 09:00")
    clock.move_to("2026-12-02 09:00:00")

    def failing(*args, **kwargs):
        raise PublishError("the target is unreachable", where="target default")

    outcomes = scheduling.run_due(actor, publish=failing)
    assert [(o.project, o.posts, o.version) for o in outcomes] == [("journal", ("due",), None)]
    assert outcomes[0].error == "target default: the target is unreachable"
    assert (
        BlogPost.get(BlogPost.slug == "due").status == "SCHEDULED" and Version.select().count() == 0
    )
    outcomes = scheduling.run_due(actor)  # the next run retries and succeeds
    assert [(o.posts, o.version, o.error) for o in outcomes] == [(("due",), 1, "")]


def test_build_and_publish_include_a_scheduled_post_once_its_time_has_come(bgpub, blog, tmp_path):
    """Without `schedule run`: the build time handed to the renderer decides, read from the same clock."""
    project, clock = blog
    assert (
        bgpub("post", "new", "journal", "New year ride", "--schedule", "2027-01-01 10:00").code == 0
    )
    early = bgpub("build", "journal", "--out", str(tmp_path / "early"))
    assert early.code == 0, early.err
    assert not (tmp_path / "early" / "blog" / "new-year-ride").exists()
    clock.move_to("2027-01-01 10:00:00")
    due = bgpub("build", "journal", "--out", str(tmp_path / "due"))
    assert due.code == 0, due.err
    assert (
        "New year ride" in (tmp_path / "due" / "blog" / "new-year-ride" / "index.html").read_text()
    )
    published = bgpub("publish", "journal")
    assert published.code == 0, published.err
    live = default_site_path(project) / "blog" / "new-year-ride" / "index.html"
    assert live.is_file()
