"""`POST /f/{project}/{form}`: the three body kinds are stored; every defence refuses its class of abuse
and stores nothing."""

from __future__ import annotations

import json

import pytest

from bgpub.db.models import CollectorRateCount, FormSubmission
from bgpub.services.collector_sites import sign_stamp

ORIGIN = {"origin": "https://demo.example"}
FETCH = {**ORIGIN, "accept": "application/json"}


def rows(site) -> list[FormSubmission]:
    return list(
        FormSubmission.select()
        .where(FormSubmission.project == site.id)
        .order_by(FormSubmission.created_at)
    )


@pytest.mark.parametrize("kind", ["urlencoded", "multipart", "json"])
def test_each_body_kind_is_stored_without_the_collectors_own_fields(client, site, kind):
    fields = site.form(
        name="Ada", email="ada@example.com", message="Hello ✓", _bgpub_page="/contact/"
    )
    url = f"/f/{site.id}/contact"
    if kind == "urlencoded":
        response = client.post(url, data=fields, headers=FETCH)
    elif kind == "multipart":
        response = client.post(url, files={k: (None, v) for k, v in fields.items()}, headers=FETCH)
    else:
        response = client.post(
            url, content=json.dumps(fields), headers={**FETCH, "content-type": "application/json"}
        )
    assert response.status_code == 201, response.text
    [row] = rows(site)
    assert response.json() == {"ok": True, "id": row.id}
    assert row.form_name == "contact"
    assert row.data == {"name": "Ada", "email": "ada@example.com", "message": "Hello ✓"}


def test_a_browser_without_javascript_gets_a_303_to_the_thank_you_page(client, site):
    plain = client.post(
        f"/f/{site.id}/contact", data=site.form(name="Ada"), headers=ORIGIN, follow_redirects=False
    )
    assert plain.status_code == 303 and plain.headers["location"] == "https://demo.example/thanks/"
    custom = client.post(
        f"/f/{site.id}/newsletter",
        data=site.form(email="a@b.c", _bgpub_thanks="/welcome/"),
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert custom.headers["location"] == "https://demo.example/welcome/"
    elsewhere = client.post(
        f"/f/{site.id}/newsletter",
        data=site.form(email="a@b.c", _bgpub_thanks="//evil.example/"),
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == "https://demo.example/thanks/"  # never off the site
    assert len(rows(site)) == 3


def test_the_project_may_be_named_by_organization_and_name(client, site, actor):
    org = actor.memberships[0].organization.slug
    assert (
        client.post(
            f"/f/{org}/{site.name}/contact", data=site.form(a="b"), headers=FETCH
        ).status_code
        == 404
    )
    # the path has one segment for the project: org/name is for the API; the id and a unique name work
    assert (
        client.post(f"/f/{site.name}/contact", data=site.form(a="b"), headers=FETCH).status_code
        == 201
    )


REFUSED = [
    # (why, fields change, headers change, expected status)
    ("unknown project", None, None, 404),
    ("foreign origin", {}, {"origin": "https://evil.example"}, 403),
    ("no origin at all", {}, {"origin": None}, 403),
    ("missing stamp", {"_bgpub_stamp": None}, {}, 400),
    ("stamp of another project", {"_bgpub_stamp": "other"}, {}, 400),
    ("forged stamp", {"_bgpub_stamp": "1700000000.00000000000000000000000000000000"}, {}, 400),
    ("stamp from the future", {"_bgpub_stamp": "future"}, {}, 400),
    ("sent too fast", {"_bgpub_elapsed": "300"}, {}, 400),
    ("elapsed not a number", {"_bgpub_elapsed": "soon"}, {}, 400),
    ("no fields", {"name": None}, {}, 400),
    ("too many fields", {f"f{i}": "x" for i in range(55)}, {}, 400),
    ("a field too long", {"name": "x" * 10_001}, {}, 400),
    ("bad form name", "bad name!", {}, 400),
]


def test_refused_posts_store_nothing(client, site):
    for case in REFUSED:
        CollectorRateCount.delete().execute()  # each case from a fresh client
        client.app.state.collector.limits._blocked.clear()
        refused(client, site, *case)
    assert rows(site) == []


def refused(client, site, why, fields, headers, status):
    data = site.form(name="Ada")
    form = "contact"
    project = site.id if fields is not None else "no-such-project"
    if isinstance(fields, str):
        form, fields = fields, {}
    for key, value in (fields or {}).items():
        if value is None:
            data.pop(key, None)
        elif value == "other":
            data[key] = sign_stamp("another-key", site.id, 1_700_000_000)
        elif value == "future":
            from bgpub.db.models import Project
            from bgpub.services.collector_sites import form_key

            data[key] = sign_stamp(form_key(Project.get_by_id(site.id)), site.id, 4_000_000_000)
        else:
            data[key] = value
    sent = {**FETCH, **(headers or {})}
    sent = {k: v for k, v in sent.items() if v is not None}
    response = client.post(f"/f/{project}/{form}", data=data, headers=sent)
    assert response.status_code == status, (why, response.text)
    assert response.json()["ok"] is False and response.json()["error"], why


def test_the_honeypot_looks_accepted_but_stores_nothing(client, site):
    response = client.post(
        f"/f/{site.id}/contact", data=site.form(name="Bot", _bgpub_hp="http://spam"), headers=FETCH
    )
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert rows(site) == []


def test_bodies_too_large_files_and_other_types_are_refused(client, site):
    big = client.post(
        f"/f/{site.id}/contact",
        content=b"a=" + b"x" * 70_000,
        headers={**FETCH, "content-type": "application/x-www-form-urlencoded"},
    )
    assert big.status_code == 413
    upload = client.post(
        f"/f/{site.id}/contact",
        data=site.form(name="Ada"),
        files={"cv": ("cv.pdf", b"%PDF-1.4", "application/pdf")},
        headers=FETCH,
    )
    assert upload.status_code == 400 and "files" in upload.json()["error"]
    xml = client.post(
        f"/f/{site.id}/contact",
        content=b"<a/>",
        headers={**FETCH, "content-type": "application/xml"},
    )
    assert xml.status_code == 415
    broken = client.post(
        f"/f/{site.id}/contact", content=b"{", headers={**FETCH, "content-type": "application/json"}
    )
    assert broken.status_code == 400
    assert rows(site) == []


def test_a_flood_from_one_client_is_limited_while_others_get_through(client, site, one_minute):
    statuses = [
        client.post(f"/f/{site.id}/contact", data=site.form(n=str(i)), headers=FETCH).status_code
        for i in range(8)
    ]
    assert statuses == [201] * 5 + [429] * 3  # settings: 5 a minute
    limited = client.post(f"/f/{site.id}/contact", data=site.form(n="x"), headers=FETCH)
    assert int(limited.headers["retry-after"]) >= 1
    from starlette.testclient import TestClient

    with TestClient(
        client.app, client=("198.51.100.9", 1)
    ) as other:  # another address: its own budget
        assert (
            other.post(f"/f/{site.id}/contact", data=site.form(n="y"), headers=FETCH).status_code
            == 201
        )
    assert len(rows(site)) == 6


def test_without_configured_domains_any_origin_may_post(client, site, actor):
    from bgpub.services.projects import update_project

    update_project(actor, site.name, settings={"base_url": None})
    client.app.state.collector._sites.clear()
    response = client.post(
        f"/f/{site.id}/contact",
        data=site.form(a="b"),
        headers={"origin": "http://127.0.0.1:8000", "accept": "application/json"},
    )
    assert response.status_code == 201


def test_fetch_from_the_sites_own_pages_may_read_the_answer(client, site):
    ok = client.post(f"/f/{site.id}/contact", data=site.form(a="b"), headers=FETCH)
    assert ok.headers["access-control-allow-origin"] == "https://demo.example"
    foreign = client.post(
        f"/f/{site.id}/contact",
        data=site.form(a="b"),
        headers={**FETCH, "origin": "https://evil.example"},
    )
    assert "access-control-allow-origin" not in foreign.headers
    for origin, allowed in (("https://demo.example", True), ("https://evil.example", False)):
        pre = client.options(
            f"/f/{site.id}/contact",
            headers={
                "origin": origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert pre.status_code == 204
        assert ("access-control-allow-origin" in pre.headers) is allowed


def test_unknown_projects_are_remembered_briefly(client, site, monkeypatch):
    collector = client.app.state.collector
    calls = []

    class Counting(collector.services):
        @staticmethod
        def find_site(ref):
            calls.append(ref)
            return Counting.__mro__[1].find_site(ref)

    monkeypatch.setattr(collector, "services", Counting)
    for _ in range(5):
        assert (
            client.post("/f/nope/contact", data=site.form(a="b"), headers=FETCH).status_code == 404
        )
    assert calls == ["nope"]
