"""The services behind the editor's Targets screen and settings dialogs: a target's options replaced
(checked as when added, one audit row), a page's settings saved in one write, and the site's analytics
as one setting that builds put in every page."""

from __future__ import annotations

import pytest
from services_support import counts, png

from bgpub.db.models import AuditLog, DeployTarget, Integration, Page
from bgpub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bgpub.services import assets, building, pages
from bgpub.services.page_settings import page_settings, set_page_settings
from bgpub.services.site_analytics import set_site_analytics, site_analytics
from bgpub.services.target_kinds import kind_names, kind_options, kind_summary
from bgpub.services.targets import add_target, list_targets, update_target


def audits(action: str) -> list[AuditLog]:
    return list(AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.created_at))


def test_every_kind_declares_its_form(project):
    for kind in kind_names():
        names = [o.name for o in kind_options(kind)]
        assert kind_summary(kind) and names[-2:] == ["base_url", "host_rules"]
        assert len(names) == len(set(names))
    assert [o.name for o in kind_options("dir") if o.required] == ["path"]


def test_update_target_replaces_its_options(actor, project, tmp_path):
    add_target(actor, "demo", "live", "dir", path=str(tmp_path / "a"))
    update_target(
        actor,
        "demo",
        "live",
        path=str(tmp_path / "b"),
        keep="4",
        base_url="https://www.example.org/",
    )
    (view,) = list_targets(actor, "demo")
    assert view.config == {
        "path": str(tmp_path / "b"),
        "keep": 4,
        "base_url": "https://www.example.org",
    }
    assert view.kind == "dir" and view.base_url == "https://www.example.org"
    (row,) = audits("target.update")
    assert row.summary["options"] == ["base_url", "keep", "path"]
    update_target(
        actor, "demo", "live", path=str(tmp_path / "b"), keep=4, base_url="https://www.example.org"
    )
    assert len(audits("target.update")) == 1  # nothing changed: no write, no audit row


@pytest.mark.parametrize(
    ("options", "text"),
    [
        ({}, "needs --path"),
        ({"path": "x", "keep": "99"}, "--keep: must be between 2 and 20"),
        ({"path": "x", "base_url": "javascript:alert(1)"}, "--base-url"),
        ({"path": "x", "dest": "host:/srv"}, "has no option --dest"),
        ({"path": "a\x00b"}, "control characters"),
    ],
)
def test_update_target_refusals_change_nothing(actor, project, tmp_path, options, text):
    add_target(actor, "demo", "live", "dir", path=str(tmp_path / "a"))
    before = counts()
    with pytest.raises(InvalidInput, match=text) as caught:
        update_target(actor, "demo", "live", **options)
    assert "target live" in str(caught.value)
    assert counts() == before
    assert DeployTarget.get().config == {"path": str(tmp_path / "a")}


def test_update_target_needs_an_existing_target_and_an_admin(actor, project, tmp_path, org):
    with pytest.raises(NotFound, match="no target 'ghost'"):
        update_target(actor, "demo", "ghost", path=str(tmp_path))
    from bgpub.services.members import add_member
    from bgpub.services.users import find_or_create_user

    editor, _ = find_or_create_user("ed@example.org", "Ed")
    add_member(actor, org, editor.email, "EDITOR")
    add_target(actor, "demo", "live", "dir", path=str(tmp_path / "a"))
    with pytest.raises(PermissionDenied):
        update_target(editor, f"{org.slug}/demo", "live", path=str(tmp_path / "b"))


def test_page_settings_in_one_write(actor, project):
    assets.add_asset(actor, "demo", png(1600, 900), name="cover.png")
    pages.add_page(actor, "demo", "about", "About")
    view = page_settings(actor, "demo", "about")
    assert (
        view.settings.show_in_nav,
        view.settings.noindex,
        view.settings.show_header,
        view.settings.show_footer,
        view.settings.social_image,
    ) == (True, False, True, True, "")
    saved = set_page_settings(
        actor,
        "demo",
        "about",
        seo_title="About | Demo",
        seo_description="Who",
        social_image="cover.png",
        show_in_nav=False,
        noindex=True,
        show_header=True,
        show_footer=False,
        expected_revision=view.revision,
    )
    assert (
        saved.settings.seo_title,
        saved.settings.social_image,
        saved.settings.show_in_nav,
        saved.settings.noindex,
        saved.settings.show_footer,
    ) == ("About | Demo", "cover.png", False, True, False)
    assert saved.revision == view.revision + 1
    (row,) = [a for a in audits("page.update") if a.summary.get("slug") == "about"]
    assert row.summary["fields"] == [
        "noindex",
        "seo_description",
        "seo_title",
        "show_footer",
        "show_in_nav",
        "social_image",
    ]
    with pytest.raises(Conflict, match="changed since it was loaded"):
        set_page_settings(actor, "demo", "about", seo_title="Old", expected_revision=view.revision)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"seo_title": "x" * 201}, "seo_title"),
        ({"seo_description": "y" * 501}, "seo_description"),
        ({"seo_title": "a\x00b"}, "seo_title"),
        ({"social_image": "nope.png"}, "social_image"),
        ({"noindex": "yes"}, "noindex"),
        ({"show_header": 1}, "show_header"),
        ({"seo_title": "fine", "show_footer": None, "show_in_nav": "no"}, "show_in_nav"),
    ],
)
def test_page_settings_refusals_name_the_field(actor, project, fields, field):
    pages.add_page(actor, "demo", "about", "About")
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        set_page_settings(actor, "demo", "about", **fields)
    assert field in str(caught.value) and "page about" in str(caught.value)
    assert counts() == before
    assert Page.get(Page.slug == "about").seo_title == ""


def test_site_analytics_is_one_setting_in_every_page(actor, project, tmp_path):
    pages.add_page(actor, "demo", "home", "Home")
    assert site_analytics(actor, "demo").kind == ""
    set_site_analytics(actor, "demo", "plausible", " WWW.Example.ORG ")
    assert (site_analytics(actor, "demo").kind, site_analytics(actor, "demo").value) == (
        "plausible",
        "www.example.org",
    )
    building.build_project(actor, "demo", tmp_path / "out")
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert 'data-domain="www.example.org"' in html
    set_site_analytics(actor, "demo", "ga4", "G-ABC123XYZ9")
    assert Integration.select().count() == 1  # replaced, never piled up
    building.build_project(actor, "demo", tmp_path / "out")
    html = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "G-ABC123XYZ9" in html and "www.example.org" not in html
    set_site_analytics(actor, "demo", "", "")
    assert Integration.select().count() == 0 and site_analytics(actor, "demo").kind == ""
    assert [a.summary["kind"] for a in audits("integration.site_analytics")] == [
        "plausible",
        "ga4",
        "none",
    ]


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("plausible", "not a domain", "domain"),
        ("plausible", 'x.org"><script>', "domain"),
        ("ga4", "UA-1234", "measurement_id"),
        ("ga4", "G-" + "A" * 40, "measurement_id"),
        ("matomo", "x", "unknown analytics"),
    ],
)
def test_site_analytics_refusals(actor, project, kind, value, text):
    before = counts()
    with pytest.raises(InvalidInput, match=text):
        set_site_analytics(actor, "demo", kind, value)
    assert counts() == before and Integration.select().count() == 0


def test_site_settings_and_analytics_save_together_or_not_at_all(actor, project, org):
    """An EDITOR may edit the title but not the analytics (an integration): asking for both changes
    neither; an ADMIN's save writes both."""
    from bgpub.db.models import Project
    from bgpub.services.members import add_member
    from bgpub.services.site_settings import save_site_settings
    from bgpub.services.users import find_or_create_user

    editor, _ = find_or_create_user("ed@example.org", "Ed")
    add_member(actor, org, editor.email, "EDITOR")
    ref = f"{org.slug}/demo"
    before = counts()
    with pytest.raises(PermissionDenied):
        save_site_settings(
            editor, ref, fields={"title": "Renamed"}, analytics=("plausible", "example.org")
        )
    with pytest.raises(InvalidInput, match="analytics"):
        save_site_settings(actor, ref, fields={"title": "Renamed"}, analytics=("ga4", "nope"))
    assert counts() == before and Project.get_by_id(project.id).title != "Renamed"
    save_site_settings(editor, ref, fields={"title": "By the editor"})
    assert Project.get_by_id(project.id).title == "By the editor"
    save_site_settings(
        actor, ref, fields={"title": "Both"}, analytics=("plausible", "www.example.org")
    )
    assert Project.get_by_id(project.id).title == "Both"
    assert site_analytics(actor, "demo").value == "www.example.org"
