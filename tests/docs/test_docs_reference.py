"""The user documentation keeps up with the code: the component reference is the generator's output,
and the guide shows every command the CLI registers."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from bgpub.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "guide.md"
THEMES = ROOT / "docs" / "themes.md"
COMPONENTS_DOC = ROOT / "docs" / "components.md"


def load_generator():
    """scripts/ is not a package: load the generator from its file."""
    spec = importlib.util.spec_from_file_location(
        "component_reference", ROOT / "scripts" / "component_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_component_reference_is_up_to_date():
    generated = load_generator().render_reference(ROOT / "components")
    current = COMPONENTS_DOC.read_text("utf-8")
    assert current == generated, (
        "docs/components.md differs from what scripts/component_reference.py generates; "
        "run `python scripts/component_reference.py`"
    )


def test_component_reference_lists_every_component_and_prop():
    import tomllib

    text = COMPONENTS_DOC.read_text("utf-8")
    for manifest in sorted((ROOT / "components").glob("*/component.toml")):
        data = tomllib.loads(manifest.read_text("utf-8"))
        assert f"\n## {data['key']}\n" in text, f"component {data['key']} is missing"
        section = text.split(f"\n## {data['key']}\n", 1)[1].split("\n## ", 1)[0]
        for prop in data.get("props", []):
            assert f"| `{prop['name']}` |" in section, (
                f"{data['key']}: prop {prop['name']} is missing"
            )
            for field in prop.get("fields", []):
                assert f"| `{field['name']}` |" in section, (
                    f"{data['key']}: {prop['name']}.{field['name']} is missing"
                )


def test_generator_notices_a_changed_manifest(tmp_path):
    """The check must be able to fail: a new prop in a manifest changes the page."""
    generator = load_generator()
    (tmp_path / "demo").mkdir()
    manifest = tmp_path / "demo" / "component.toml"
    manifest.write_text(
        'key = "demo"\nname = "Demo"\ntype = "CONTENT"\nregion = "main"\ndescription = "A demo"\n\n'
        '[[props]]\nname = "heading"\ntype = "text"\nrequired = true\ndefault = "Hi | there"\nhelp = "The heading"\n',
        "utf-8",
    )
    before = generator.render_reference(tmp_path)
    assert '| `heading` | `text` | yes | `"Hi \\| there"` | The heading |' in before
    with manifest.open("a", encoding="utf-8") as out:
        out.write(
            '\n[[props]]\nname = "items"\ntype = "list"\nhelp = "Things"\n\n'
            '[[props.fields]]\nname = "label"\ntype = "text"\nhelp = "A label"\n'
        )
    after = generator.render_reference(tmp_path)
    assert after != before
    assert "Fields of each item of `items`:" in after
    assert "| `label` | `text` | no | — | A label |" in after


def test_check_mode_fails_on_a_stale_file(tmp_path):
    generator = load_generator()
    stale = tmp_path / "components.md"
    stale.write_text("# old\n", "utf-8")
    args = ["--components", str(ROOT / "components"), "--output", str(stale)]
    assert generator.main([*args, "--check"]) == 1
    assert generator.main(args) == 0
    assert generator.main([*args, "--check"]) == 0


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_guide_mentions_every_command(command):
    guide = GUIDE.read_text("utf-8")
    assert re.search(rf"\bbgpub {re.escape(command)}\b", guide), (
        f"docs/guide.md never shows `bgpub {command}` (registered in src/bgpub/cli/__init__.py COMMANDS)"
    )


def test_guide_and_themes_doc_link_to_the_reference_pages():
    guide = GUIDE.read_text("utf-8")
    assert "components.md" in guide and "themes.md" in guide
    assert THEMES.is_file()
