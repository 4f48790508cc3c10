"""`bgpub theme prepare-fonts PATH`: a theme's fonts replaced, once, by the subsets a build would make
and marked `prepared = true` (comments kept), so builds ship them without fontTools; a second run
changes nothing; anything that is not a theme's own font file is refused with exit 2, nothing changed.
No project and no database: the command works on a theme folder alone."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from bgpub.render import fontsubset, load_library, load_themes, render_site
from bgpub.render.fonts import face_ranges
from bgpub.render.plan import BuildInfo
from bgpub.snapshot import ProjectSnapshot

REPOSITORY = Path(__file__).resolve().parents[2]
FRAUNCES = REPOSITORY / "themes" / "terracotta" / "fonts" / "fraunces"
MANIFEST = """\
name = "paper"   # a child of aurora with a heading font of its own
parent = "aurora"

[tokens]
font-heading = 'Fraunces, Georgia, serif'

# Fraunces (SIL OFL 1.1): one file per script
[[fonts]]
family = "Fraunces"
weight = "100 900"
licence = "fonts/fraunces/OFL.txt"
files = { latin = "fonts/fraunces/fraunces-latin.woff2", latin-ext = "fonts/fraunces/fraunces-latin-ext.woff2" }
# kept with its entry

[[fonts]]
family = "Fraunces"
style = "italic"
prepared = false  # the author's own note
licence = "fonts/fraunces/OFL.txt"
files = { latin = "fonts/fraunces/fraunces-latin-400-italic.woff2" }
"""


def theme_command(*args: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from bgpub.cli import main

    capsys.readouterr()
    try:
        main(["theme", *(str(a) for a in args)])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def _theme(root: Path, manifest: str = MANIFEST) -> Path:
    folder = root / "paper"
    (folder / "fonts" / "fraunces").mkdir(parents=True)
    for name in (
        "OFL.txt",
        "fraunces-latin.woff2",
        "fraunces-latin-ext.woff2",
        "fraunces-latin-400-italic.woff2",
    ):
        shutil.copyfile(FRAUNCES / name, folder / "fonts" / "fraunces" / name)
    (folder / "theme.toml").write_text(manifest, "utf-8")
    return folder


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _no_subset(source: bytes, ranges: str) -> bytes:
    raise AssertionError("a prepared font reached the subsetter")


def test_prepare_then_build_without_subsetting_and_a_second_run_changes_nothing(
    tmp_path, capsys, monkeypatch
):
    folder = _theme(tmp_path / "themes")
    before = _contents(folder)
    code, out, err = theme_command("prepare-fonts", folder, capsys=capsys)
    assert (code, err) == (0, "")
    assert "fonts 1, 2 marked prepared (3 files)" in out
    text = (folder / "theme.toml").read_text("utf-8")
    # the manifest gains one line and one flipped value; every comment stays where it was
    assert text == MANIFEST.replace(
        'latin-ext.woff2" }\n# kept', 'latin-ext.woff2" }\nprepared = true\n# kept'
    ).replace("prepared = false  #", "prepared = true  #")
    for rel, script in (
        ("fonts/fraunces/fraunces-latin.woff2", "latin"),
        ("fonts/fraunces/fraunces-latin-ext.woff2", "latin-ext"),
    ):
        wanted = fontsubset.subset_woff2(before[rel], face_ranges(script, ("latin", script)))
        assert (folder / rel).read_bytes() == wanted
        assert TTFont(io.BytesIO(wanted)).flavor == "woff2"
    prepared = _contents(folder)
    code, out, _ = theme_command("prepare-fonts", folder, capsys=capsys)
    assert code == 0 and "nothing to prepare" in out
    assert _contents(folder) == prepared

    monkeypatch.setattr(fontsubset, "_subset", _no_subset)
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    site = REPOSITORY / "sites" / "landing"
    snapshot = ProjectSnapshot.from_json((site / "project.json").read_bytes())
    files = render_site(
        dataclasses.replace(snapshot, theme="paper"),
        load_library([REPOSITORY / "components"]),
        load_themes([tmp_path / "themes", REPOSITORY / "themes"]),
        lambda digest: (site / "blobs" / digest).read_bytes(),
        BuildInfo(base_url=""),
    )
    fonts = {p: d for p, d in files.items() if re.match(r"assets/fonts/fraunces-.*\.woff2$", p)}
    assert sorted(fonts.values()) == sorted(
        prepared[f"fonts/fraunces/{name}.woff2"]
        for name in ("fraunces-latin", "fraunces-latin-400-italic")
    )


def _refused(folder: Path, capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    """Runs the command on `folder`; checks exit 2, one error line, no traceback, nothing changed."""
    before = _contents(folder) if folder.is_dir() else None
    code, out, err = theme_command("prepare-fonts", *(args or (folder,)), capsys=capsys)
    assert code == 2, (out, err)
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    if before is not None:
        assert _contents(folder) == before
    return err


def test_a_folder_that_is_not_a_theme_is_refused(tmp_path, capsys):
    assert "not a theme folder" in _refused(tmp_path, capsys)
    assert "not a theme folder" in _refused(tmp_path / "missing", capsys)
    (tmp_path / "theme.toml").write_text("name = [", "utf-8")
    assert "malformed theme manifest" in _refused(tmp_path, capsys)


def test_a_plain_file_is_refused(tmp_path, capsys):
    (tmp_path / "theme.toml").write_text("", "utf-8")
    assert "PATH" in _refused(tmp_path, capsys, tmp_path / "theme.toml")


@pytest.mark.parametrize(
    "old, new, problem",
    [
        (
            '"fonts/fraunces/fraunces-latin.woff2"',
            '"fonts/../../outside.woff2"',
            "must be a .woff2 under fonts/",
        ),
        ('"fonts/fraunces/fraunces-latin.woff2"', '"/etc/passwd.woff2"', "under fonts/"),
        ("prepared = false", 'prepared = "no"', "prepared must be true or false"),
        (
            'latin-ext = "fonts/fraunces/fraunces-latin-ext.woff2"',
            'latin-ext = "fonts/fraunces/fraunces-latin.woff2"',
            "listed for both latin and latin-ext",
        ),
        ("prepared = false", "prepared = true", "listed by a prepared and an unprepared"),
    ],
)
def test_hostile_or_inconsistent_manifests_are_refused(tmp_path, capsys, old, new, problem):
    manifest = MANIFEST.replace(old, new, 1)
    if "prepared and an unprepared" in problem:  # both entries list the same latin file
        manifest = manifest.replace("fraunces-latin-400-italic", "fraunces-latin")
    folder = _theme(tmp_path, manifest)
    err = _refused(folder, capsys)
    assert problem in err and "theme.toml, fonts " in err


def test_a_font_file_linked_outside_the_theme_is_refused(tmp_path, capsys):
    outside = tmp_path / "outside.woff2"
    outside.write_bytes((FRAUNCES / "fraunces-latin.woff2").read_bytes())
    folder = _theme(tmp_path / "themes")
    link = folder / "fonts" / "fraunces" / "fraunces-latin.woff2"
    link.unlink()
    os.symlink(outside, link)
    assert "not a file inside the theme's fonts/ folder" in _refused(folder, capsys)
    assert outside.read_bytes() == (FRAUNCES / "fraunces-latin.woff2").read_bytes()


def test_a_fonts_folder_linked_elsewhere_is_refused(tmp_path, capsys):
    folder = _theme(tmp_path / "themes")
    shutil.move(folder / "fonts", tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", folder / "fonts")
    before = _contents(tmp_path / "elsewhere")
    assert "not a file inside the theme's fonts/ folder" in _refused(folder, capsys)
    assert _contents(tmp_path / "elsewhere") == before


def test_a_file_that_is_not_a_font_is_refused(tmp_path, capsys):
    folder = _theme(tmp_path)
    (folder / "fonts" / "fraunces" / "fraunces-latin-ext.woff2").write_bytes(b"wOF2 not really")
    assert "cannot be read as a font" in _refused(folder, capsys)


def test_entries_not_written_as_tables_are_refused_not_mangled(tmp_path, capsys):
    inline = (
        'name = "paper"\nfonts = [{ family = "Fraunces", licence = "fonts/fraunces/OFL.txt", '
        'files = { latin = "fonts/fraunces/fraunces-latin.woff2" } }]\n'
    )
    folder = _theme(tmp_path, inline)
    assert "write each entry as a [[fonts]] table" in _refused(folder, capsys)


def test_bgpub_build_of_a_starter_ships_the_prepared_files_without_subsetting(
    bgpub, tmp_path, monkeypatch
):
    """The whole command, on each database: `bgpub new --from landing` then a cold `bgpub build`."""
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(REPOSITORY / "components"))
    monkeypatch.setattr(fontsubset, "_subset", _no_subset)
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    made = fontsubset.SUBSETS_MADE[0]
    assert bgpub("new", "site", "--from", "landing").code == 0
    result = bgpub("build", "site", "--out", tmp_path / "out")
    assert result.code == 0, result.err
    aurora = REPOSITORY / "themes" / "aurora" / "fonts"
    shipped = {p.read_bytes() for p in aurora.rglob("*.woff2")}
    fonts = list((tmp_path / "out" / "assets" / "fonts").glob("*.woff2"))
    assert fonts and all(p.read_bytes() in shipped for p in fonts)
    assert fontsubset.SUBSETS_MADE[0] == made
