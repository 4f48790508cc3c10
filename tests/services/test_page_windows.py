"""The page list a window at a time: every window the service reads is the one the in-memory model
(`domain.pages.window_of`) cuts from all the pages, for filters SQL folds and filters it cannot."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

from bgpub.db.connection import database, init_database
from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember, Page, User
from bgpub.domain.pages import PageRow, window_of, window_start
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import pages
from bgpub.services.page_windows import MAX_FILTER, page_window
from pg_worker_support import owned_name

COUNT = 450  # a little over two windows of 200
TITLES = ("Über uns", "École d'été", "50% off", "a_b test", "ÉCOLE", "Straße", "日本語 page")


def title_of(i: int) -> str:
    special = TITLES[i // 60] if i % 60 == 7 and i // 60 < len(TITLES) else None
    return special or f"Page {i} about Topic {i % 37}"


def _write_pages(project) -> list[PageRow]:
    """COUNT pages in navigation order (written in one insert; positions 0..n-1 as the services keep them)."""
    Page.insert_many(
        [
            {
                "project": project,
                "slug": f"page-{i:04d}",
                "title": title_of(i),
                "position": i,
                "is_home": i == 0,
                "show_in_nav": i % 5 != 3,
                "blocks": [],
            }
            for i in range(COUNT)
        ]
    ).execute()
    return [
        PageRow(f"page-{i:04d}", title_of(i), is_home=i == 0, show_in_nav=i % 5 != 3)
        for i in range(COUNT)
    ]


@pytest.fixture
def big(actor, project) -> list[PageRow]:
    """This test's own COUNT pages, for a test that changes them."""
    return _write_pages(project)


PG_URL = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
FIXTURE_COMPONENTS = Path(__file__).parent / "fixtures" / "components"
CLEARED_ENV = (
    "BGPUB_DATABASE_URL",
    "DATABASE_URL",
    "BGPUB_USER_EMAIL",
    "BGPUB_ALLOW_IMPERSONATION",
)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def listed_url(request, tmp_path_factory) -> Iterator[str]:
    """A migrated database of each kind for this module's reading tests, as `db_target` makes one
    (a copy of the session's template) but kept for the module."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("windows") / "bgpub.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")  # fails or skips as `db_target` would
    name = owned_name("bgpub_w")  # a later run drops it if this one is killed
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    admin.cursor().execute(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    )
    try:
        yield f"{PG_URL.rpartition('/')[0]}/{name}"
    finally:
        if database.obj is not None and not database.is_closed():
            database.close()
        admin.cursor().execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


@pytest.fixture(scope="module")
def listed_site(listed_url, tmp_path_factory) -> tuple[Path, User, list[PageRow]]:
    """(workspace folder, actor, pages): what `home`, `actor`, `project` and `big` make, made once
    for the tests that only read the list (`page_window` writes nothing)."""
    from bgpub.services.projects import create_project
    from bgpub.services.workspace import open_workspace

    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        _as_in_home(env, home)
        env.setenv("BGPUB_COMPONENTS_PATH", str(FIXTURE_COMPONENTS))  # as `fixture_library` does
        actor = open_workspace(listed_url, workspace_path=home).actor
        org = (
            Organization.select()
            .join(OrganizationMember)
            .where(OrganizationMember.user == actor)
            .get()
        )
        org.tier = SubscriptionTier.PRO
        org.save()
        rows = _write_pages(create_project(actor, "demo", title="Demo site"))
    return home, actor, rows


def _as_in_home(env: pytest.MonkeyPatch, home: Path) -> None:
    """The environment the `home` fixture gives a test."""
    env.setenv("BGPUB_HOME", str(home))
    for var in CLEARED_ENV:
        env.delenv(var, raising=False)


@pytest.fixture
def reader(listed_url, listed_site, monkeypatch) -> Iterator[User]:
    """The actor of the module's list, on its database again (other tests point it elsewhere)."""
    home, actor, _ = listed_site
    _as_in_home(monkeypatch, home)
    handle = init_database(listed_url)
    yield actor
    if not handle.is_closed():
        handle.close()


@pytest.fixture
def listed(listed_site) -> list[PageRow]:
    return listed_site[2]


FILTERS = [
    "",
    "topic 3",
    "TOPIC 3",
    "  topic 1 ",
    "page-04",
    "über",
    "ÜBER",
    "école",
    "d'été",
    "50%",
    "%",
    "a_b",
    "_",
    "straße",
    "日本",
    "page 44",
    "nothing like it",
]


@pytest.mark.parametrize("text", FILTERS)
def test_every_window_is_the_models(reader, listed, text):
    model = window_of(listed, text=text, limit=200)
    starts = sorted({0, 200, 400, window_start(max(model.shown - 1, 0), 200), 5000})
    for start in starts:
        assert page_window(reader, "demo", text=text, start=start) == window_of(
            listed, text=text, start=start
        ), start
    for keep in ("page-0000", "page-0300", "page-0427", "no-such-page"):
        assert page_window(reader, "demo", text=text, start=0, keep=keep) == window_of(
            listed, text=text, keep=keep
        ), keep


@pytest.mark.parametrize("limit", [1, 7, 50, 2000])
def test_windows_of_any_size_tile_the_list(reader, listed, limit):
    read: list[PageRow] = []
    numbers: list[int] = []
    shown = page_window(reader, "demo", text="topic", limit=1).shown
    for start in range(0, shown, limit):
        window = page_window(reader, "demo", text="topic", start=start, limit=limit)
        read.extend(window.rows)
        numbers.extend(window.numbers)
    expected = window_of(listed, text="topic", limit=COUNT)
    assert read == list(expected.rows) and numbers == list(expected.numbers)
    # a start past the end reads the last window (the list shrank since the count was read)
    assert page_window(reader, "demo", text="topic", start=COUNT, limit=limit).rows[-1] == read[-1]


def test_the_last_window_holds_the_last_page(reader, listed):
    first = page_window(reader, "demo")
    assert (first.shown, first.total, len(first.rows)) == (COUNT, COUNT, 200)
    last = page_window(reader, "demo", start=window_start(first.shown - 1, 200))
    assert last.rows[-1] == listed[-1] and last.numbers[-1] == COUNT
    assert last.rows[-1].title == title_of(COUNT - 1)


def test_a_filter_finds_pages_far_past_the_first_window(reader, listed):
    window = page_window(reader, "demo", text="PAGE-0449")
    assert [(p.slug, n) for p, n in zip(window.rows, window.numbers, strict=True)] == [
        ("page-0449", 450)
    ]
    assert (window.shown, window.total) == (1, COUNT)
    accented = page_window(reader, "demo", text="éCOLE")  # folded in Python, either case
    assert [p.title for p in accented.rows] == ["École d'été", "ÉCOLE"]


def test_changes_made_elsewhere_show_in_the_next_read(actor, big):
    pages.add_page(actor, "demo", "late", "Late arrival")
    pages.rename_page(actor, "demo", "page-0420", "Renamed far down")
    pages.remove_page(actor, "demo", "page-0001")
    end = page_window(actor, "demo", start=400)
    assert end.total == COUNT and end.rows[-1].slug == "late"
    assert "Renamed far down" in [p.title for p in end.rows]
    assert "page-0001" not in [p.slug for p in page_window(actor, "demo").rows]
    found = page_window(actor, "demo", text="renamed far", keep="page-0420")
    assert found.focus == 0 and found.rows[0].slug == "page-0420" and found.numbers == (420,)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": -1}, "start"),
        ({"limit": 0}, "limit"),
        ({"limit": 2001}, "limit"),
        ({"text": "x" * (MAX_FILTER + 1)}, "text"),
    ],
)
def test_refusals_name_the_field(reader, listed, kwargs, field):
    with pytest.raises(InvalidInput) as refused:
        page_window(reader, "demo", **kwargs)
    assert refused.value.field == field


def test_only_members_read_the_list(actor, big):
    stranger = User.create(email="stranger@example.com", name="Stranger")
    with pytest.raises(NotFound):
        page_window(stranger, "demo")


@pytest.mark.parametrize("text", ["", "topic 3", "page-04", "über", "nothing like it"])
def test_counts_the_caller_holds_give_the_models_windows(reader, listed, text):
    """A later window read on the counts the list holds is the model's, near either end."""
    model = window_of(listed, text=text)
    for start in sorted({0, 200, 400, window_start(max(model.shown - 1, 0), 200)}):
        held = page_window(reader, "demo", text=text, start=start, total=COUNT, shown=model.shown)
        assert held == window_of(listed, text=text, start=start), start
    assert page_window(reader, "demo", text=text, total=COUNT) == model


def test_stale_counts_never_cut_a_wrong_window(actor, big):
    """Pages deleted elsewhere since the counts were read: a full window from the front holds the
    right rows (the counts stay the caller's until it reloads); one nearer the end, or one that
    comes back short, is read and counted afresh."""
    for slug in ("page-0001", "page-0002", "page-0420"):
        pages.remove_page(actor, "demo", slug)
    now = [p for p in big if p.slug not in {"page-0001", "page-0002", "page-0420"}]
    for start in (0, 200):
        held = page_window(actor, "demo", start=start, total=COUNT, shown=COUNT)
        fresh = window_of(now, start=start)
        assert (held.start, held.rows, held.numbers) == (fresh.start, fresh.rows, fresh.numbers)
    assert page_window(actor, "demo", start=400, total=COUNT, shown=COUNT) == window_of(
        now, start=400
    )
    short = page_window(actor, "demo", limit=COUNT - 1, total=COUNT, shown=COUNT)  # 447 rows left
    assert short == window_of(now, limit=COUNT - 1)


def test_counts_are_refused_below_zero(reader, listed):
    for field in ("total", "shown"):
        with pytest.raises(InvalidInput) as refused:
            page_window(reader, "demo", **{field: -1})
        assert refused.value.field == field
