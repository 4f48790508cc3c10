"""The page change feed (migration 0023): triggers note every update and deletion of a page, on both
databases, in an order a reader can trust, and the project's own deletion leaves nothing behind."""

from __future__ import annotations

from row_factory import make

from bgpub.db.connection import database
from bgpub.db.models import Page, PageChange, Project


def _feed(project_id: str) -> dict[str, int]:
    rows = PageChange.select().where(PageChange.project == project_id)
    return {row.page_id: row.serial for row in rows}


def test_updates_and_deletions_are_noted_in_order_and_insertions_are_not(db):
    page = make(Page)
    other = make(Page, project=page.project_id, slug="other")
    assert _feed(page.project_id) == {}  # new pages: a reader sees them in the page count
    Page.update(title="Renamed").where(Page.id == page.id).execute()  # no revision bumped
    first = _feed(page.project_id)
    assert list(first) == [page.id]
    Page.update(is_home=True).where(Page.id == other.id).execute()
    second = _feed(page.project_id)
    assert second[other.id] > second[page.id] == first[page.id]
    Page.update(position=Page.position + 1).where(Page.project == page.project_id).execute()
    third = _feed(page.project_id)
    assert min(third.values()) > second[other.id]  # one statement, every row it changed
    Page.delete().where(Page.id == page.id).execute()
    gone = _feed(page.project_id)
    assert gone[page.id] > third[other.id] and gone[other.id] == third[other.id]
    assert not Page.select().where(Page.id == page.id).exists()  # its row stays as a tombstone


def test_an_update_that_changes_nothing_is_still_noted(db):
    page = make(Page)
    Page.update(title=Page.title).where(Page.id == page.id).execute()
    assert list(_feed(page.project_id)) == [page.id]


def test_a_page_moved_to_another_project_is_news_in_both(db):
    page = make(Page)
    there = make(Project)
    Page.update(project=there).where(Page.id == page.id).execute()
    assert list(_feed(page.project_id)) == [page.id]
    assert list(_feed(there.id)) == [page.id]


def test_deleting_a_project_takes_its_feed_and_notes_nothing(db):
    page = make(Page)
    kept = make(Page)  # another project's page and feed are left alone
    Page.update(title="Edited").where(Page.id << [page.id, kept.id]).execute()
    Project.delete().where(Project.id == page.project_id).execute()
    assert not Page.select().where(Page.project == page.project_id).exists()
    assert _feed(page.project_id) == {}
    assert list(_feed(kept.project_id)) == [kept.id]


def test_a_write_that_fails_notes_nothing(db):
    page = make(Page)
    make(Page, project=page.project_id, slug="taken")
    try:
        with database.atomic():
            Page.update(title="Half").where(Page.id == page.id).execute()
            Page.update(slug="taken").where(Page.id == page.id).execute()  # unique slug: refused
    except Exception:  # the driver's IntegrityError, whichever database
        pass
    assert _feed(page.project_id) == {}
    assert Page.get_by_id(page.id).title == page.title
