"""`bgpub post|category|tag|comment`: every command's happy path, the $EDITOR flow (with reopen on an
error, as git commit does) and bad input (one `error:` line, exit != 0, nothing written)."""

from __future__ import annotations

import io
import json
import shlex
import sys

import pytest
from blog_support import Clock, counts, post_rows

from bgpub.services import posts

EDITOR = """
import json, pathlib, sys
plan_file = pathlib.Path(__file__).with_name("plan.json")
plan = json.loads(plan_file.read_text())
path = pathlib.Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
with open(pathlib.Path(__file__).with_name("seen.log"), "a", encoding="utf-8") as log:
    log.write(json.dumps(text) + "\\n")
step = plan.pop(0)
plan_file.write_text(json.dumps(plan))
if "write" in step:
    text = step["write"]
for old, new in step.get("replace", []):
    assert old in text, (old, text)
    text = text.replace(old, new)
text += step.get("append", "")
path.write_text(text, encoding="utf-8")
"""


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """A scripted $EDITOR: each opening applies the next step of the plan; `seen()` lists what it was shown."""
    folder = tmp_path / "editor"
    folder.mkdir()
    script = folder / "edit.py"
    script.write_text(EDITOR)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    monkeypatch.delenv("VISUAL", raising=False)

    class Editor:
        def plan(self, *steps: dict) -> None:
            (folder / "plan.json").write_text(json.dumps(list(steps)))
            (folder / "seen.log").write_text("")

        def seen(self) -> list[str]:
            return [json.loads(line) for line in (folder / "seen.log").read_text().splitlines()]

        def left(self) -> list:
            return json.loads((folder / "plan.json").read_text())

    return Editor()


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch):
    """Standard input is an empty pipe (what cron or a script gives), never pytest's captured stdin."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(posts, "now", clock)
    return clock


def test_new_and_edit_in_the_editor(bgpub, actor, project, editor, clock):
    editor.plan(
        {"replace": [["tags: [travel]", "tags: [travel, gear]"]], "append": "Hello from **vim**.\n"}
    )
    done = bgpub(
        "post", "new", "demo", "Hello World", "--tag", "travel", "--category", "Trips", "--edit"
    )
    assert (done.code, done.out) == (0, "published post hello-world\n"), done.err
    first = editor.seen()[0]
    assert first.startswith("# Write the post") and "title: Hello World\n" in first
    shown = bgpub("post", "show", "demo", "hello-world").out
    assert "tags: [gear, travel]\n" in shown and shown.endswith("---\nHello from **vim**.\n")

    # An invalid save reopens the editor with the error on top; fixing it saves.
    editor.plan(
        {"replace": [["status: PUBLISHED", "status: SOON"]]},
        {"replace": [["status: SOON", "status: DRAFT"], ["slug: hello-world", "slug: hello"]]},
    )
    done = bgpub("post", "edit", "demo", "hello-world")
    assert (
        done.code == 0 and "saved post hello (was hello-world; the old URL redirects)" in done.out
    ), done.err
    second = editor.seen()[1]
    assert second.startswith("# error: project demo, post hello-world: invalid status 'SOON'")
    assert "status: SOON" in second and not editor.left()
    view = posts.get_post(actor, "demo", "hello")
    assert (view.status, view.aliases) == ("DRAFT", ("hello-world",))

    # Unchanged: nothing saved, nothing written.
    before, rows = counts(), post_rows()
    editor.plan({"append": ""})
    done = bgpub("post", "edit", "demo", "hello")
    assert (done.code, done.out) == (0, "post hello unchanged: nothing was saved\n")
    assert counts() == before and post_rows() == rows
    # Still invalid after the reopen (saved without a fix): one error line, nothing written.
    editor.plan({"replace": [["title: Hello World", "title: ''"]]}, {"append": ""})
    done = bgpub("post", "edit", "demo", "hello")
    assert done.code != 0 and done.err == "error: project demo, post hello: title is required\n"
    # An emptied file cancels.
    editor.plan({"write": ""})
    done = bgpub("post", "new", "demo", "Other", "--edit")
    assert done.code == 1 and done.err == "empty post file: nothing was saved\n"
    # Broken YAML is reported with its line, then fixed.
    editor.plan(
        {"replace": [["tags: []", "tags: [unclosed"]]},
        {"replace": [["tags: [unclosed", "tags: [a]"]]},
    )
    done = bgpub("post", "new", "demo", "Third", "--edit", "--draft")
    assert done.code == 0 and editor.seen()[1].startswith("# error: post file:"), done.err
    assert "not valid YAML" in editor.seen()[1]
    assert counts()["BlogPost"] == before["BlogPost"] + 1


def test_post_commands_without_a_terminal(bgpub, project, tmp_path, clock):
    body = tmp_path / "post.md"
    body.write_text("---\ntitle: From a file\ntags: [a, b]\nexcerpt: Short\n---\nBody text\n")
    assert (
        bgpub("post", "new", "demo", "Ignored title", "--body-file", body).out
        == "published post from-a-file\n"
    )
    assert (
        bgpub("post", "new", "demo", "Plain", "--draft", "--tag", "a").code == 0
    )  # stdin: empty body
    out = bgpub("post", "new", "demo", "Later", "--schedule", "2026-12-24 09:00").out
    assert out == "scheduled post later (at 2026-12-24 09:00 UTC)\n"
    listed = json.loads(bgpub("post", "list", "demo", "--json").out)
    assert [(p["slug"], p["status"]) for p in listed] == [
        ("later", "SCHEDULED"),
        ("from-a-file", "PUBLISHED"),
        ("plain", "DRAFT"),
    ]
    assert [
        p["slug"] for p in json.loads(bgpub("post", "list", "demo", "--tag", "a", "--json").out)
    ] == ["from-a-file", "plain"]
    assert bgpub("post", "list", "demo", "--status", "draft").out.split()[:3] == [
        "DRAFT",
        "-",
        "plain",
    ]
    shown = json.loads(bgpub("post", "show", "demo", "from-a-file", "--json").out)
    assert (shown["body"], shown["excerpt"], shown["tags"]) == ("Body text\n", "Short", ["a", "b"])
    assert (
        bgpub("post", "publish", "demo", "plain").out
        == "post plain is published (since 2026-12-01 08:00 UTC)\n"
    )
    assert bgpub("post", "unpublish", "demo", "plain").out == "post plain is a draft\n"
    assert bgpub("post", "schedule", "demo", "plain", "2027-01-01 10:00").out == (
        "post plain is scheduled for 2027-01-01 10:00 UTC\n"
    )
    replacement = tmp_path / "edit.md"
    replacement.write_text("---\ntitle: Renamed\n---\nNew body\n")
    assert (
        bgpub("post", "edit", "demo", "plain", "--body-file", replacement).out
        == "saved post plain\n"
    )
    before = counts()
    refused = bgpub("post", "rm", "demo", "plain")
    assert refused.code != 0 and "pass --yes" in refused.err and counts() == before
    assert bgpub("post", "rm", "demo", "plain", "--yes").out == "removed post plain\n"


BAD = [
    (["post", "new", "demo", "  "], "title is required"),
    (
        ["post", "new", "demo", "T", "--draft", "--schedule", "2027-01-01 09:00"],
        "exclude each other",
    ),
    (["post", "new", "demo", "T", "--schedule", "2020-01-01 09:00"], "is not in the future"),
    (["post", "new", "demo", "T", "--schedule", "tomorrow"], "is not a date and time"),
    (["post", "new", "demo", "T", "--slug", "Bad Slug"], "invalid slug 'Bad Slug'"),
    (
        ["post", "new", "demo", "T", "--slug", "existing"],
        "a post with slug 'existing' already exists",
    ),
    (
        ["post", "new", "demo", "T", "--author", "nobody@example.com"],
        "is not a member of organization",
    ),
    (["post", "new", "demo", "T", "--tag", ""], "tag is required"),
    (["post", "new", "demo", "T", "--body-file", "missing.md"], "missing.md"),
    (["post", "new", "nope", "T"], "nope"),
    (["post", "show", "demo", "missing"], "no post 'missing'"),
    (["post", "publish", "demo", "missing"], "no post 'missing'"),
    (["post", "schedule", "demo", "existing", "yesterday"], "is not a date and time"),
    (["post", "list", "demo", "--status", "LIVE"], "invalid status 'LIVE'"),
    (["post", "rm", "demo", "missing", "--yes"], "no post 'missing'"),
    (["category", "add", "demo", "Trips"], "a category named 'Trips' already exists"),
    (["category", "add", "demo", "a\u202eb"], "RIGHT-TO-LEFT OVERRIDE"),
    (["category", "rename", "demo", "nope", "X"], "no category 'nope' (known: Trips)"),
    (["category", "rm", "demo", "Trips"], "pass --yes"),
    (["tag", "rename", "demo", "x", "y"], "no tag 'x'"),
    (["tag", "merge", "demo", "t", "t"], "cannot merge tag 't' into itself"),
    (["comment", "approve", "demo", "nope"], "no comment 'nope'"),
    (["comment", "add", "demo", "existing", "--author", "", "--body", "b"], "author is required"),
    (
        ["comment", "add", "demo", "existing", "--author", "A", "--body", "b", "--status", "X"],
        "invalid comment status 'X'",
    ),
    (["comment", "rm", "demo", "nope", "--yes"], "no comment 'nope'"),
]


def test_bad_input_is_one_error_line_and_changes_nothing(
    bgpub, project, clock, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert bgpub("post", "new", "demo", "Existing", "--tag", "t", "--category", "Trips").code == 0
    before, rows = counts(), post_rows()
    for args, message in BAD:
        done = bgpub(*args)
        assert done.code != 0, args
        assert (
            done.err.startswith("error: ") and done.err.count("\n") == 1 and message in done.err
        ), (args, done.err)
        assert "Traceback" not in done.err and counts() == before and post_rows() == rows, args


def test_categories_tags_and_comments(bgpub, project, clock):
    bgpub("post", "new", "demo", "One", "--tag", "py", "--tag", "Python", "--category", "Code")
    bgpub("post", "new", "demo", "Two", "--tag", "py")
    assert (
        bgpub("category", "add", "demo", "Café Life").out
        == "added category Café Life (cafe-life)\n"
    )
    assert bgpub("category", "rename", "demo", "code", "Programming").out == (
        "renamed category code to Programming (programming)\n"
    )
    assert (
        bgpub("category", "list", "demo").out
        == "cafe-life  Café Life  [0 posts]\nprogramming  Programming  [1 post]\n"
    )
    assert bgpub("category", "rm", "demo", "programming", "--yes").out == (
        "removed category programming; 1 posts have no category now\n"
    )
    assert (
        bgpub("tag", "rename", "demo", "Python", "Python 3").out
        == "renamed tag Python to Python 3 (python-3)\n"
    )
    assert (
        bgpub("tag", "merge", "demo", "py", "python-3").out
        == "merged tag py into Python 3 (2 posts)\n"
    )
    assert json.loads(bgpub("tag", "list", "demo", "--json").out) == [
        {"name": "Python 3", "slug": "python-3", "posts": 2}
    ]
    added = bgpub(
        "comment",
        "add",
        "demo",
        "one",
        "--author",
        "Ann",
        "--body",
        "Nice <b>post</b>",
        "--date",
        "2026-12-01 09:00",
    )
    comment_id = added.out.split()[2]
    assert added.out == f"added comment {comment_id} on one (pending)\n"
    assert comment_id in bgpub("comment", "list", "demo", "--pending").out
    assert bgpub("comment", "list", "demo", "--approved").out == "no comments approved\n"
    assert (
        bgpub("comment", "approve", "demo", comment_id).out
        == f"comment {comment_id} on one is approved\n"
    )
    assert [
        c["id"] for c in json.loads(bgpub("comment", "list", "demo", "--approved", "--json").out)
    ] == [comment_id]
    assert (
        bgpub("comment", "spam", "demo", comment_id).out == f"comment {comment_id} on one is spam\n"
    )
    assert (
        bgpub("comment", "rm", "demo", comment_id, "--yes").out == f"removed comment {comment_id}\n"
    )
    assert bgpub("comment", "list", "demo").out == "no comments\n"


def test_done_when_flow_from_an_empty_workspace(bgpub, actor, org, editor, clock, monkeypatch):
    """`new --from blog`, two posts written in $EDITOR, a third scheduled, publish; `schedule run` puts
    the third live once its time has come (the clock is moved)."""
    from bgpub.services.targets import default_site_path

    monkeypatch.delenv("BGPUB_COMPONENTS_PATH", raising=False)  # the real library the starter uses
    assert bgpub("new", "journal", "--from", "blog").code == 0
    editor.plan({"append": "First body.\n"})
    assert (
        bgpub("post", "new", "journal", "Snow on the pass", "--tag", "winter", "--edit").code == 0
    )
    editor.plan({"replace": [["category: ''", "category: Trips"]], "append": "Second body.\n"})
    assert bgpub("post", "new", "journal", "Ferry crossing", "--edit").code == 0
    assert (
        bgpub("post", "new", "journal", "New year ride", "--schedule", "2026-12-31 23:00").code == 0
    )
    done = bgpub("publish", "journal")
    assert done.code == 0, done.err
    live = default_site_path(posts.find_project(actor, "journal")) / "blog"
    assert "First body." in (live / "snow-on-the-pass" / "index.html").read_text()
    assert "Second body." in (live / "ferry-crossing" / "index.html").read_text()
    assert not (live / "new-year-ride").exists()
    clock.move_to("2026-12-31 23:00:00")
    assert bgpub("schedule", "run").out.startswith("published journal as version 2 (new-year-ride)")
    assert (live / "new-year-ride" / "index.html").is_file()
    assert bgpub("schedule", "run").out == ""
