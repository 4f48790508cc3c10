"""docs/database.md cannot drift: every table and column of the models is described there."""

from __future__ import annotations

import re
from pathlib import Path

import bgpub.db.enums as enum_module
from bgpub.db.models import MODELS

DOC = Path(__file__).resolve().parents[2] / "docs" / "database.md"


def _sections(text: str) -> dict[str, str]:
    """Each `#### \\`table\\`` section's text, up to the next heading of that level or above."""
    parts = re.split(r"^(#{1,4}) `?([a-z_]+)`?\s*$", text, flags=re.M)
    return {parts[i + 1]: parts[i + 2] for i in range(1, len(parts) - 2, 3)}


def undocumented(text: str) -> list[str]:
    sections = _sections(text)
    missing = []
    for model in MODELS:
        table = model._meta.table_name
        if table not in sections:
            missing.append(f"table {table}")
            continue
        for field in model._meta.sorted_fields:
            if f"`{field.column_name}`" not in sections[table]:
                missing.append(f"column {table}.{field.column_name}")
    return missing


def test_every_table_and_column_is_documented():
    missing = undocumented(DOC.read_text(encoding="utf-8"))
    assert not missing, "docs/database.md lacks: " + ", ".join(missing)


def test_every_enum_is_documented():
    text = DOC.read_text(encoding="utf-8")
    enums = [
        v
        for v in vars(enum_module).values()
        if isinstance(v, type) and v.__module__ == "bgpub.db.enums"
    ]
    for enum in enums:
        row = next(
            (line for line in text.splitlines() if line.startswith(f"| {enum.__name__} |")), None
        )
        assert row is not None, f"enum {enum.__name__} is not in docs/database.md"
        for member in enum:
            assert member.value in row, f"{enum.__name__}.{member.name} is not in docs/database.md"


def test_a_missing_column_or_table_is_reported():
    text = DOC.read_text(encoding="utf-8")
    without_email = text.replace("| `email` | varchar(254) |", "| (gone) | varchar(254) |")
    assert undocumented(without_email) == ["column users.email"]
    without_table = text.replace("#### `blobs`", "#### `blob_store`")
    assert undocumented(without_table) == ["table blobs"]
