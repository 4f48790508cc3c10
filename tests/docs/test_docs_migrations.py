"""The documentation's migration lists match `src/bgpub/db/migrations/`: the architecture table names
every migration file, and no document names a migration that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "src" / "bgpub" / "db" / "migrations"
NAME = re.compile(r"\b(\d{4}_[a-z0-9_]+)\b")


def migration_files() -> set[str]:
    return {p.stem for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py")}


def test_architecture_lists_every_migration():
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    section = text.split("## Migration numbers", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(\d{4}_[a-z0-9_]+)` \|", section, flags=re.M))
    missing, unknown = migration_files() - listed, listed - migration_files()
    assert not missing, f"docs/architecture.md 'Migration numbers' does not list {sorted(missing)}"
    assert not unknown, (
        f"docs/architecture.md lists migrations that do not exist: {sorted(unknown)}"
    )


def test_guide_db_status_example_shows_every_migration_in_order():
    text = (ROOT / "docs" / "guide.md").read_text("utf-8")
    example = text.split("$ bgpub db status\n", 1)[1].split("```", 1)[0]
    shown = [line.split()[0] for line in example.splitlines() if NAME.match(line)]
    assert shown == sorted(migration_files())


def test_no_document_names_a_missing_migration():
    known = migration_files()
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        named = {m for m in NAME.findall(doc.read_text("utf-8")) if not m.startswith(("0000_",))}
        assert named <= known, (
            f"{doc.name} names {sorted(named - known)}, not in {MIGRATIONS.relative_to(ROOT)}"
        )
