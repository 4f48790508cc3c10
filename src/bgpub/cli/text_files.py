"""Reading a text file a user names on the command line (a description, a post): one clear error
naming the file when it cannot be read or is not UTF-8, never a traceback."""

from __future__ import annotations

from pathlib import Path

from bgpub.errors import InvalidInput


def read_utf8(path: Path, where: str) -> str:
    """The file's text; InvalidInput at `where` when it is unreadable or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text", where=where) from None
    except OSError as exc:
        raise InvalidInput(exc.strerror or "cannot be read", where=where) from None
