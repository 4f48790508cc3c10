"""`bgpub export`/`import` round trips and `bgpub build`: summary line, incremental reuse, no Textual."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import png

from bgpub.db.models import Project


def ok(result):
    assert result.code == 0, result.err
    return result.out


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def make_site(bgpub, tmp_path):
    ok(bgpub("new", "demo", "--title", "Demo"))
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    ok(bgpub("asset", "add", "demo", logo, "--alt", "Logo"))
    for slug in ("home", "about"):
        ok(bgpub("page", "add", "demo", slug, "--title", slug.title()))
        ok(
            bgpub(
                "block",
                "add",
                "demo",
                slug,
                "hero",
                "--prop",
                f"heading={slug} page",
                "--prop",
                "image=logo.png",
            )
        )
    ok(bgpub("block", "add", "demo", "about", "counter", "--prop", "count=3"))


def test_export_import_export_byte_identical(bgpub, tmp_path):
    make_site(bgpub, tmp_path)
    assert "exported demo: 2 pages, 1 assets" in ok(bgpub("export", "demo", tmp_path / "one"))
    ok(bgpub("project", "rm", "demo", "--yes"))
    assert "imported demo: 2 pages, 1 assets" in ok(bgpub("import", tmp_path / "one"))
    ok(bgpub("export", "demo", tmp_path / "two"))
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    ok(bgpub("import", tmp_path / "one", "--name", "copy"))
    assert sorted(p.name for p in Project.select()) == ["copy", "demo"]


def test_hostile_import_is_refused(bgpub, tmp_path):
    make_site(bgpub, tmp_path)
    ok(bgpub("export", "demo", tmp_path / "one"))
    data = json.loads((tmp_path / "one" / "project.json").read_text())
    data["pages"][1]["slug"] = "../../etc"
    (tmp_path / "one" / "project.json").write_text(json.dumps(data))
    result = bgpub("import", tmp_path / "one", "--name", "copy")
    assert result.code != 0 and "pages[1]: invalid slug '../../etc'" in result.err
    assert [p.name for p in Project.select()] == ["demo"]


def test_build_summary_and_incremental(bgpub, tmp_path):
    make_site(bgpub, tmp_path)
    out = tmp_path / "site"
    first = ok(bgpub("build", "demo", "--out", out))
    files = tree(out)
    assert first.startswith("built demo: 2 pages, ") and f"{len(files)} files" in first
    assert f"{sum(map(len, files.values()))} bytes" in first and f"({len(files)} rendered)" in first
    second = ok(bgpub("build", "demo", "--out", out))
    assert "(0 rendered)" in second
    ok(bgpub("block", "set", "demo", "about", "1", "heading=New heading"))
    third = ok(bgpub("build", "demo", "--out", out))
    # the edited page, and the sitemap too when its lastmod (seconds) moved
    assert "(1 rendered)" in third or "(2 rendered)" in third
    ok(bgpub("build", "demo", "--out", tmp_path / "full"))
    assert tree(out) == tree(tmp_path / "full")


def test_build_error_is_one_line(bgpub, tmp_path):
    ok(bgpub("new", "demo"))
    result = bgpub("build", "ghost", "--out", tmp_path / "x")
    assert (
        result.code != 0 and result.err.startswith("error:") and "no project 'ghost'" in result.err
    )
    assert not (tmp_path / "x").exists()


# What a module imports does not depend on the database behind it: SQLite alone.
@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_build_does_not_import_textual(bgpub, db_target, home, tmp_path, fixture_library):
    make_site(bgpub, tmp_path)
    script = (
        "import sys\n"
        "from bgpub.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('TEXTUAL' if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 'CLEAN')\n"
    )
    env = {**os.environ, "BGPUB_HOME": str(home), "BGPUB_COMPONENTS_PATH": str(fixture_library)}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--database-url",
            db_target.url,
            "build",
            "demo",
            "--out",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "CLEAN"
    assert "built demo: 2 pages" in out.stdout
    assert "\x1b[" not in out.stdout + out.stderr  # no progress bar when not on a terminal
