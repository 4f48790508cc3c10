"""`mermaid_erd` shows every table, its keys and every foreign key with its cardinality."""

from __future__ import annotations

from peewee import ForeignKeyField

from bgpub.db.erd import mermaid_erd
from bgpub.db.models import MODELS


def test_every_table_and_relationship_is_drawn():
    text = mermaid_erd()
    assert text.startswith("erDiagram\n")
    for model in MODELS:
        assert f"    {model._meta.table_name} {{" in text
        assert f"{model._meta.primary_key.column_name} PK" in text
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField):
                parent, child = field.rel_model._meta.table_name, model._meta.table_name
                end = "|o" if field.null else "||"
                assert (
                    f'{parent} {end}--o{{ {child} : "{field.column_name} ({field.on_delete})"'
                    in text
                )


def test_cardinality_and_unique_markers():
    text = mermaid_erd()
    assert 'organizations ||--o{ projects : "organization_id (CASCADE)"' in text
    assert 'users |o--o{ blog_posts : "author_id (SET NULL)"' in text
    assert 'projects ||--o{ orders : "project_id (RESTRICT)"' in text
    assert 'varchar email UK "unique as lower(email)"' in text
    assert 'varchar user_id FK "unique with organization_id"' in text


def test_all_columns_lists_every_column():
    text = mermaid_erd(all_columns=True)
    for model in MODELS:
        block = text.split(f"    {model._meta.table_name} {{\n", 1)[1].split("    }", 1)[0]
        names = [line.split()[1] for line in block.splitlines()]
        assert names == [f.column_name for f in model._meta.sorted_fields]
