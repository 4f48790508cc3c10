"""`bgpub project set --collector-url`, `bgpub stats` and `bgpub submissions` over what the collector stored."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from bgpub.db.fields import utcnow
from bgpub.services.page_views import ViewRecord, new_view_id, record_views
from bgpub.services.submissions import record_submission


@pytest.fixture
def run(db_target, capsys):
    from bgpub.cli import main

    def bgpub(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return bgpub


def seed(site) -> None:
    now = utcnow()
    rows = []
    for path, ref, source, device, visitor, age in [
        ("/", None, None, "desktop", "a", 0),
        ("/", "news.example", "newsletter", "mobile", "b", 0),
        ("/pricing/", "news.example", None, "mobile", "b", 0),
        ("/", None, None, "desktop", "a", 1),
        ("/old/", None, None, "desktop", "c", 40),
    ]:
        rows.append(
            ViewRecord(
                new_view_id(),
                site.id,
                path,
                ref,
                source,
                device,
                visitor,
                now - timedelta(days=age),
            )
        )
    record_views(rows)
    record_submission(site.id, "contact", {"name": "Ada", "message": "=SUM(A1)"})
    record_submission(site.id, "newsletter", {"email": "b@example.com"})


def test_project_set_collector_url_and_refusals(run, site):
    assert run("project", "set", "demo", "--collector-url", "https://c.example.org/")[0] == 0
    code, out, _ = run("project", "show", "demo")
    assert '"collector_url": "https://c.example.org"' in out
    code, _, err = run("project", "set", "demo", "--collector-url", "ftp://nope")
    assert (
        code != 0
        and err.startswith("error: ")
        and "collector URL" in err
        and "Traceback" not in err
    )
    assert run("project", "set", "demo", "--collector-url", "")[0] == 0
    assert "collector_url" not in run("project", "show", "demo")[1]


def test_stats_text_and_json(run, site):
    seed(site)
    code, out, err = run("stats", "demo", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["views"], data["visitors"]) == (
        4,
        3,
    )  # a and b today, a yesterday; the 40-day-old one is out
    assert [(p["name"], p["views"], p["visitors"]) for p in data["pages"]] == [
        ("/", 3, 3),
        ("/pricing/", 1, 1),
    ]
    assert [(r["name"], r["views"]) for r in data["referrers"]] == [("news.example", 2)]
    assert [s["name"] for s in data["sources"]] == ["newsletter"]
    assert {d["name"]: d["views"] for d in data["devices"]} == {"desktop": 2, "mobile": 2}
    assert data["forms"] == {"contact": 1, "newsletter": 1} and data["comments_pending"] == 0
    assert len(data["per_day"]) == 30 and data["per_day"][-1]["views"] == 3
    code, out, _ = run("stats", "demo", "--days", "60")
    assert code == 0 and "views 5" in out and "/old/" in out and "news.example" in out
    code, _, err = run("stats", "nope")
    assert code != 0 and err.startswith("error: ")
    assert run("stats", "demo", "--days", "0")[0] != 0


def test_submissions_table_json_csv_and_handling(run, site):
    seed(site)
    code, out, _ = run("submissions", "demo", "--json")
    rows = json.loads(out)
    assert sorted(r["form"] for r in rows) == ["contact", "newsletter"]
    contact = next(r for r in rows if r["form"] == "contact")
    code, out, _ = run("submissions", "demo", "--form", "contact", "--csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) == 1 and table[0]["name"] == "Ada"
    assert table[0]["message"] == "'=SUM(A1)"  # never a live spreadsheet formula
    assert run("submissions", "demo", "--mark-handled", contact["id"])[0] == 0
    code, out, _ = run("submissions", "demo", "--unhandled", "--json")
    assert [r["form"] for r in json.loads(out)] == ["newsletter"]
    code, out, _ = run("submissions", "demo")
    assert "handled" in out and "newsletter" in out
    code, _, err = run("submissions", "demo", "--mark-handled", "nope")
    assert code != 0 and "no submission" in err
    assert run("submissions", "demo", "--json", "--csv")[0] != 0


def test_collect_refuses_bad_options_without_starting(run):
    code, _, err = run("collect", "--port", "70000")
    assert code != 0 and "port" in err.lower()
    code, _, err = run("collect", "--workers", "0")
    assert code != 0


def test_build_and_publish_warn_about_forms_that_go_nowhere(run, actor, tmp_path):
    from bgpub.services.projects import create_project

    create_project(actor, "shop", starter="landing")
    code, out, err = run("build", "shop", "--out", str(tmp_path / "a"))
    assert code == 0 and "built shop" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2  # the landing starter's contact and newsletter forms
    assert all("placeholder" in w and "--collector-url" in w for w in warnings)
    assert "page contact" in warnings[0] and "(contact-form)" in warnings[0]
    code, _, err = run("publish", "shop")
    assert code == 0 and err.count("warning: ") == 2
    run("project", "set", "shop", "--collector-url", "https://collect.example.org")
    code, _, err = run("build", "shop", "--out", str(tmp_path / "b"))
    assert code == 0 and "warning" not in err


def test_placeholder_addresses():
    from bgpub.services.form_checks import is_placeholder

    for action in [
        "",
        "#",
        None,
        "https://forms.example.com/x",
        "https://example.org",
        "http://a.test/x",
        "https://x.invalid",
        "http://localhost:3000/f",
        "https://form.example/x",
    ]:
        assert is_placeholder(action), action
    for action in [
        "https://formspree.io/f/abc",
        "/contact/thanks/",
        "https://collect.mysite.net/f/x",
    ]:
        assert not is_placeholder(action), action
