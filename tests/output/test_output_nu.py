"""The W3C Nu HTML checker over every page of every starter in every theme: no error, no heading-less section.

One JVM for the whole run: every file goes to one `vnu.jar` invocation (a JVM start costs seconds). A
page with a known error goes along as the control: the checker must report it, so a checker that
silently checks nothing fails the test.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from output_support import Build, once_per_run, run_folder, vnu_command

CONTROL = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>control</title></head>
<body><p aria-label="Rated 5 out of 5">★★★★★</p><section><p>no heading</p></section></body></html>"""


@pytest.fixture(scope="module")
def nu_messages(builds, tmp_path_factory):
    """Nu messages by file name (relative `site-theme/path`) for every HTML output and the control:
    one checker run per test run, shared by the xdist workers (it checks the shared builds)."""
    command = vnu_command()
    folder = run_folder(tmp_path_factory, "output-nu")
    if folder is None:
        return _check(command, builds, tmp_path_factory)
    return once_per_run(folder, lambda: _check(command, builds, tmp_path_factory))


def _check(
    command: list[str], builds: list[Build], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, list[dict]], int]:
    """One `vnu.jar` run over the control page and every HTML file of the builds."""
    control = tmp_path_factory.mktemp("nu") / "control.html"
    control.write_text(CONTROL, "utf-8")
    files = [str(control)] + [
        str(b.folder / p) for b in builds for p in sorted(b.files) if p.endswith(".html")
    ]
    done = subprocess.run(
        [*command, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stderr)
    by_file: dict[str, list[dict]] = {}
    root = str(builds[0].folder.parent) + "/"
    for message in report["messages"]:
        url = message.get("url", "").removeprefix("file:")
        name = "control" if url == str(control) else url.removeprefix(root)
        by_file.setdefault(name, []).append(message)
    return by_file, len(files) - 1


def _line(name: str, message: dict) -> str:
    return f"{name}:{message.get('lastLine', '?')}: {message.get('message')} [{message.get('extract', '')!r:.80}]"


def test_the_checker_reports_the_control_page(nu_messages):
    by_file, _ = nu_messages
    control = by_file.get("control", [])
    assert any(m["type"] == "error" and "aria-label" in m["message"] for m in control), control
    assert any("Section lacks heading" in m["message"] for m in control), control


def test_no_page_of_any_starter_in_any_theme_has_a_nu_error(nu_messages, builds):
    by_file, checked = nu_messages
    assert checked >= len(builds) * 5  # every page went through the checker
    errors = [
        _line(name, m)
        for name, messages in by_file.items()
        if name != "control"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, f"{len(errors)} Nu errors:\n" + "\n".join(errors[:40])


def test_every_section_has_a_heading(nu_messages):
    """The checker's "Section lacks heading" warning: a section gets a (visually hidden) heading or is a div."""
    by_file, _ = nu_messages
    lacking = [
        _line(name, m)
        for name, messages in by_file.items()
        if name != "control"
        for m in messages
        if "Section lacks heading" in m.get("message", "")
    ]
    assert not lacking, "\n".join(lacking)
