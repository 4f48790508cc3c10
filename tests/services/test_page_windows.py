"""The page list a window at a time: every window the service reads is the one the in-memory model
(`domain.pages.window_of`) cuts from all the pages, for filters SQL folds and filters it cannot."""

from __future__ import annotations

import pytest

from bgpub.db.models import Page, User
from bgpub.domain.pages import PageRow, window_of, window_start
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import pages
from bgpub.services.page_windows import MAX_FILTER, page_window

COUNT = 450  # a little over two windows of 200
TITLES = ("Über uns", "École d'été", "50% off", "a_b test", "ÉCOLE", "Straße", "日本語 page")


def title_of(i: int) -> str:
    special = TITLES[i // 60] if i % 60 == 7 and i // 60 < len(TITLES) else None
    return special or f"Page {i} about Topic {i % 37}"


@pytest.fixture
def big(actor, project) -> list[PageRow]:
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
def test_every_window_is_the_models(actor, big, text):
    model = window_of(big, text=text, limit=200)
    starts = sorted({0, 200, 400, window_start(max(model.shown - 1, 0), 200), 5000})
    for start in starts:
        assert page_window(actor, "demo", text=text, start=start) == window_of(
            big, text=text, start=start
        ), start
    for keep in ("page-0000", "page-0300", "page-0427", "no-such-page"):
        assert page_window(actor, "demo", text=text, start=0, keep=keep) == window_of(
            big, text=text, keep=keep
        ), keep


@pytest.mark.parametrize("limit", [1, 7, 50, 2000])
def test_windows_of_any_size_tile_the_list(actor, big, limit):
    read: list[PageRow] = []
    numbers: list[int] = []
    shown = page_window(actor, "demo", text="topic", limit=1).shown
    for start in range(0, shown, limit):
        window = page_window(actor, "demo", text="topic", start=start, limit=limit)
        read.extend(window.rows)
        numbers.extend(window.numbers)
    expected = window_of(big, text="topic", limit=COUNT)
    assert read == list(expected.rows) and numbers == list(expected.numbers)
    # a start past the end reads the last window (the list shrank since the count was read)
    assert page_window(actor, "demo", text="topic", start=COUNT, limit=limit).rows[-1] == read[-1]


def test_the_last_window_holds_the_last_page(actor, big):
    first = page_window(actor, "demo")
    assert (first.shown, first.total, len(first.rows)) == (COUNT, COUNT, 200)
    last = page_window(actor, "demo", start=window_start(first.shown - 1, 200))
    assert last.rows[-1] == big[-1] and last.numbers[-1] == COUNT
    assert last.rows[-1].title == title_of(COUNT - 1)


def test_a_filter_finds_pages_far_past_the_first_window(actor, big):
    window = page_window(actor, "demo", text="PAGE-0449")
    assert [(p.slug, n) for p, n in zip(window.rows, window.numbers, strict=True)] == [
        ("page-0449", 450)
    ]
    assert (window.shown, window.total) == (1, COUNT)
    accented = page_window(actor, "demo", text="éCOLE")  # folded in Python, either case
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
def test_refusals_name_the_field(actor, big, kwargs, field):
    with pytest.raises(InvalidInput) as refused:
        page_window(actor, "demo", **kwargs)
    assert refused.value.field == field


def test_only_members_read_the_list(actor, big):
    stranger = User.create(email="stranger@example.com", name="Stranger")
    with pytest.raises(NotFound):
        page_window(stranger, "demo")


@pytest.mark.parametrize("text", ["", "topic 3", "page-04", "über", "nothing like it"])
def test_counts_the_caller_holds_give_the_models_windows(actor, big, text):
    """A later window read on the counts the list holds is the model's, near either end."""
    model = window_of(big, text=text)
    for start in sorted({0, 200, 400, window_start(max(model.shown - 1, 0), 200)}):
        held = page_window(actor, "demo", text=text, start=start, total=COUNT, shown=model.shown)
        assert held == window_of(big, text=text, start=start), start
    assert page_window(actor, "demo", text=text, total=COUNT) == model


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


def test_counts_are_refused_below_zero(actor, big):
    for field in ("total", "shown"):
        with pytest.raises(InvalidInput) as refused:
            page_window(actor, "demo", **{field: -1})
        assert refused.value.field == field
