"""Pages: navigation order, home page, slugs, optimistic revisions; refusals write nothing."""

import pytest
from services_support import counts

from bgpub.db.models import Page, Project
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import pages


def slugs(actor):
    return [p.slug for p in pages.list_pages(actor, "demo")]


@pytest.fixture
def three(actor, project):
    for slug in ("home", "about", "contact"):
        pages.add_page(actor, "demo", slug, slug.title())
    return project


def test_first_page_is_home_and_order_is_kept(actor, three):
    listed = pages.list_pages(actor, "demo")
    assert [(p.slug, p.position, p.is_home) for p in listed] == [
        ("home", 0, True),
        ("about", 1, False),
        ("contact", 2, False),
    ]


def test_add_at_position_shifts_the_rest(actor, three):
    pages.add_page(actor, "demo", "pricing", "Pricing", position=1)
    assert slugs(actor) == ["home", "pricing", "about", "contact"]
    assert [p.position for p in pages.list_pages(actor, "demo")] == [0, 1, 2, 3]


def test_add_bumps_project_revision(actor, project):
    before = Project.get_by_id(project.id).revision
    pages.add_page(actor, "demo", "home", "Home")
    assert Project.get_by_id(project.id).revision == before + 1


@pytest.mark.parametrize(
    ("slug", "title", "kwargs", "error", "text"),
    [
        ("../x", "X", {}, InvalidInput, "invalid slug '../x'"),
        ("About", "X", {}, InvalidInput, "invalid slug"),
        ("assets", "X", {}, InvalidInput, "reserved"),
        ("about", "X", {}, Conflict, "already exists"),
        ("new", "", {}, InvalidInput, "title is required"),
        ("new", "X", {"position": 9}, InvalidInput, "position 10 is outside 1..4"),
    ],
)
def test_add_refusals_write_nothing(actor, three, slug, title, kwargs, error, text):
    before = counts()
    with pytest.raises(error, match=text):
        pages.add_page(actor, "demo", slug, title, **kwargs)
    assert counts() == before


@pytest.mark.parametrize(
    ("slug", "to", "expected"),
    [
        ("contact", 0, ["contact", "home", "about"]),
        ("home", 2, ["about", "contact", "home"]),
        ("about", 1, ["home", "about", "contact"]),
    ],
)
def test_move(actor, three, slug, to, expected):
    pages.move_page(actor, "demo", slug, to)
    assert slugs(actor) == expected
    assert [p.position for p in pages.list_pages(actor, "demo")] == [0, 1, 2]


def test_move_out_of_range(actor, three):
    with pytest.raises(InvalidInput, match="position 4 is outside 1..3"):
        pages.move_page(actor, "demo", "home", 3)


def test_set_home_and_remove_home(actor, three):
    pages.set_home(actor, "demo", "about")
    assert [p.slug for p in pages.list_pages(actor, "demo") if p.is_home] == ["about"]
    pages.remove_page(actor, "demo", "about")
    assert slugs(actor) == ["home", "contact"]
    assert [p.is_home for p in pages.list_pages(actor, "demo")] == [True, False]
    assert [p.position for p in pages.list_pages(actor, "demo")] == [0, 1]


def test_rename_and_change_slug(actor, three):
    page = pages.rename_page(actor, "demo", "about", "About us")
    assert page.revision == 2
    pages.change_slug(actor, "demo", "about", "about-us")
    fresh = pages.get_page(actor, "demo", "about-us")
    assert (fresh.title, fresh.revision) == ("About us", 3)
    with pytest.raises(NotFound, match="no page 'about'"):
        pages.get_page(actor, "demo", "about")
    with pytest.raises(Conflict):
        pages.change_slug(actor, "demo", "about-us", "home")
    with pytest.raises(InvalidInput):
        pages.change_slug(actor, "demo", "about-us", "../etc")


def test_stale_revision_is_a_conflict(actor, three):
    loaded = pages.get_page(actor, "demo", "about")
    pages.rename_page(
        actor, "demo", "about", "Someone else's title", expected_revision=loaded.revision
    )
    before = counts()
    with pytest.raises(Conflict, match="changed since it was loaded"):
        pages.rename_page(actor, "demo", "about", "Mine", expected_revision=loaded.revision)
    with pytest.raises(Conflict):
        pages.remove_page(actor, "demo", "about", expected_revision=loaded.revision)
    assert counts() == before
    assert Page.get(Page.slug == "about").title == "Someone else's title"


def test_update_seo_and_nav(actor, three):
    pages.update_page(
        actor, "demo", "contact", seo_title="Talk to us", seo_description="Write", show_in_nav=False
    )
    page = pages.get_page(actor, "demo", "contact")
    assert (page.seo_title, page.seo_description, page.show_in_nav) == (
        "Talk to us",
        "Write",
        False,
    )


def test_noindex_flag_is_set_cleared_and_checked(actor, three):
    before = Project.get(Project.name == "demo").revision
    pages.update_page(actor, "demo", "about", noindex=True)
    assert pages.get_page(actor, "demo", "about").noindex is True
    assert Project.get(Project.name == "demo").revision == before + 1
    pages.update_page(actor, "demo", "about", title="About us")  # other edits leave the flag alone
    assert pages.get_page(actor, "demo", "about").noindex is True
    pages.update_page(actor, "demo", "about", noindex=False)
    assert pages.get_page(actor, "demo", "about").noindex is False
    with pytest.raises(InvalidInput, match="noindex must be true or false"):
        pages.update_page(actor, "demo", "about", noindex="yes")
    assert pages.get_page(actor, "demo", "about").noindex is False
