"""A file system that refuses (a file where a folder must be, a full disk, a missing folder) is one
line naming the path and the reason, a non-zero exit and no traceback: the CLI's last line of defence
for errors no service turns into a BgpubError."""

from __future__ import annotations

import errno
import os

import pytest

from bgpub.cli import file_fault


def one_error_line(outcome) -> str:
    lines = [line for line in outcome.err.splitlines() if line.strip()]
    assert outcome.code == 1, outcome
    assert "Traceback" not in outcome.err + outcome.out, outcome.err
    assert len(lines) == 1 and lines[0].startswith("error: "), outcome.err
    return lines[0]


@pytest.fixture
def demo(bgpub):
    assert bgpub("new", "demo").code == 0
    assert bgpub("page", "add", "demo", "home", "--title", "Home").code == 0
    return "demo"


def test_export_under_a_file_names_the_file(bgpub, demo, tmp_path):
    """Real file system, no injection: `afile` is a file, so `afile/out` cannot be made."""
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    line = one_error_line(bgpub("export", demo, blocker / "out"))
    assert str(blocker) in line and "exists" in line
    assert blocker.read_text() == "not a folder"  # nothing was changed


def test_build_under_a_file_names_the_file(bgpub, demo, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    outcome = bgpub("build", demo, "--out", blocker / "site")
    assert outcome.code != 0 and "Traceback" not in outcome.err
    assert str(blocker) in outcome.err
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/site/page/index.html"),
        OSError(errno.EROFS, os.strerror(errno.EROFS), "/site"),
        OSError(errno.EIO, os.strerror(errno.EIO)),
        OSError(errno.EXDEV, os.strerror(errno.EXDEV), "/a", "/b"),
        PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/srv/www"),
    ],
    ids=["disk full", "read-only", "i/o, no path", "two paths", "permission"],
)
def test_a_refusal_during_a_build_is_one_line(bgpub, demo, tmp_path, monkeypatch, error):
    import bgpub.services.building as build_command  # the command imports it when it runs

    def refusing(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(build_command, "build_project", refusing)
    line = one_error_line(bgpub("build", demo, "--out", tmp_path / "site"))
    assert error.strerror.lower() in line
    for path in (error.filename, error.filename2):
        if path is not None:
            assert path in line
    assert "Errno" not in line


def test_the_line_has_no_errno_and_keeps_the_path():
    full = OSError(errno.ENOSPC, "No space left on device", "site/x.html")
    assert file_fault(full) == "site/x.html: no space left on device"
    assert file_fault(OSError("bare")) == "file system: bare"
