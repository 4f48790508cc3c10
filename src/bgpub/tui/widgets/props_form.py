"""The props form, generated from a component's prop schema; inline errors sit under each field.

A `FieldSet` edits one dict of values (a block's props, or one item of a list prop); it posts
`FieldSet.Changed` on every edit. The screen validates and hands errors back with `show_errors`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, Switch, TextArea

from bgpub.domain.assets import AssetRow
from bgpub.domain.props import PropSpec
from bgpub.tui.widgets.asset_picker import AssetPicker
from bgpub.tui.widgets.markdown_field import MarkdownField


def parse_number(text: str) -> int | float | str | None:
    """'' -> None, '3' -> 3, '2.5' -> 2.5; anything else stays text so validation can name it."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


class FieldSet(Vertical):
    """Edits a dict of values described by a list of PropSpec, one labelled field per prop."""

    DEFAULT_CSS = """
    FieldSet { height: auto; }
    FieldSet .field { height: auto; margin-bottom: 1; }
    FieldSet .field-label { color: $text; text-style: bold; }
    FieldSet .field-help { color: $text-muted; }
    FieldSet .field-error { color: $error; display: none; }
    FieldSet .field.-invalid .field-error { display: block; }
    FieldSet .field.-invalid Input, FieldSet .field.-invalid Select > SelectCurrent { background: $error 25%; }
    FieldSet .field.-invalid TextArea { border: tall $error; }
    FieldSet Input { margin: 0 0 0 1; }
    /* the indent inside the select, not as its margin: an open list then covers the whole line,
       instead of leaving the first column of the form beneath showing through */
    FieldSet Select { margin: 0; }
    FieldSet Select > SelectCurrent { padding-left: 1; }
    FieldSet TextArea { height: 5; }
    """

    class Changed(Message):
        def __init__(self, fieldset: FieldSet) -> None:
            self.fieldset = fieldset
            super().__init__()

        @property
        def control(self) -> FieldSet:
            return self.fieldset

    def __init__(
        self,
        specs: Sequence[PropSpec],
        values: dict[str, Any],
        assets: Sequence[AssetRow] = (),
        *,
        prefix: str = "prop-",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.specs = tuple(specs)
        self.values: dict[str, Any] = copy.deepcopy(values)
        self.assets = tuple(assets)
        self.prefix = prefix
        self._ready = False  # editors report their initial values while mounting: not edits

    def on_mount(self) -> None:
        self.call_after_refresh(self._arm)

    def _arm(self) -> None:
        self._ready = True

    @property
    def ready(self) -> bool:
        """True once the editors have reported their initial values: edits from now on count."""
        return self._ready and all(fs._ready for fs in self.query(FieldSet))

    def compose(self) -> ComposeResult:
        for spec in self.specs:
            with Vertical(classes="field", id=f"{self.prefix}{spec.name}-field"):
                star = " *" if spec.required else ""
                yield Label(
                    f"{spec.name.replace('_', ' ')}{star}  [dim]{spec.type}[/dim]",
                    classes="field-label",
                )
                yield self._editor(spec)
                if spec.help:
                    yield Static(spec.help, classes="field-help", markup=False)
                yield Static(
                    "", classes="field-error", id=f"{self.prefix}{spec.name}-error", markup=False
                )

    def _editor(self, spec: PropSpec) -> Widget:
        # a prop the stored block lacks is published with its default: show that, not an empty field
        value = self.values[spec.name] if spec.name in self.values else spec.stored_default()
        ident = f"{self.prefix}{spec.name}"
        hint = spec.placeholder()
        if spec.type == "markdown":
            return MarkdownField(str(value or ""), ident=ident, name=spec.name, placeholder=hint)
        if spec.type == "multiline":
            return TextArea(
                str(value or ""),
                id=ident,
                name=spec.name,
                soft_wrap=True,
                tab_behavior="focus",
                placeholder=hint,
            )
        if spec.type == "boolean":
            return Switch(bool(value), id=ident, name=spec.name)
        if spec.type == "choice":
            options = [(c, c) for c in spec.choices]
            current = value if value in spec.choices else Select.NULL
            return Select(
                options,
                value=current,
                allow_blank=not spec.required or current is Select.NULL,
                id=ident,
                name=spec.name,
                compact=True,
            )
        if spec.type == "asset":
            return AssetPicker(
                self.assets, value, required=spec.required, id=ident, name=spec.name, compact=True
            )
        if spec.type == "list":
            return ItemListEditor(spec, list(value or []), self.assets, id=ident, name=spec.name)
        if spec.type == "number":
            return Input(
                "" if value is None else str(value),
                type="number",
                id=ident,
                name=spec.name,
                placeholder="a number",
                compact=True,
            )
        return Input(str(value or ""), id=ident, name=spec.name, placeholder=hint, compact=True)

    def _store(self, name: str | None, value: Any) -> None:
        if not self._ready or name is None or name not in {s.name for s in self.specs}:
            return
        if self.values.get(name) == value:
            return
        self.values[name] = value
        self.post_message(FieldSet.Changed(self))

    def _spec(self, name: str | None) -> PropSpec | None:
        return next((s for s in self.specs if s.name == name), None)

    def _mine(self, widget: Widget) -> bool:
        """Events bubble through nested field sets: only the nearest one handles them."""
        node = widget.parent
        while node is not None and not isinstance(node, FieldSet):
            node = node.parent
        return node is self

    def on_input_changed(self, event: Input.Changed) -> None:
        if not self._mine(event.input):
            return
        event.stop()
        spec = self._spec(event.input.name)
        if spec is not None:
            self._store(
                spec.name, parse_number(event.value) if spec.type == "number" else event.value
            )

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._mine(event.text_area):
            event.stop()
            self._store(event.text_area.name, event.text_area.text)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if self._mine(event.switch):
            event.stop()
            self._store(event.switch.name, event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        if self._mine(event.select):
            event.stop()
            self._store(event.select.name, None if event.value is Select.NULL else event.value)

    def on_item_list_editor_changed(self, event: ItemListEditor.Changed) -> None:
        if self._mine(event.editor):
            event.stop()
            self._store(event.editor.name, copy.deepcopy(event.editor.items))

    def show_errors(self, errors: dict[tuple[str | int, ...], str]) -> None:
        """Shows each message under its field (nested paths go to list items); clears the others."""
        for spec in self.specs:
            mine = {path[1:]: msg for path, msg in errors.items() if path and path[0] == spec.name}
            fields = self.query(f"#{self.prefix}{spec.name}-field")
            shown = self.query(f"#{self.prefix}{spec.name}-error").results(Static)
            message = next(shown, None)
            if (
                not fields or message is None
            ):  # this set is being rebuilt: the next check shows them
                continue
            own = mine.pop((), None)
            if spec.type == "list":
                for editor in self.query(f"#{self.prefix}{spec.name}").results(ItemListEditor):
                    editor.show_errors(mine)
            elif mine and own is None:
                own = next(iter(mine.values()))
            message.update(own or "")
            fields.first().set_class(bool(own), "-invalid")

    def error_text(self, name: str) -> str:
        """The inline message shown under a field (empty when valid)."""
        return str(self.query_one(f"#{self.prefix}{name}-error", Static).content)


class ItemListEditor(Vertical):
    """Edits a list prop: each item a small field set with move up/down and remove; plus an add button."""

    DEFAULT_CSS = """
    ItemListEditor { height: auto; border: round $primary 50%; padding: 0 1; }
    ItemListEditor .item { height: auto; border-bottom: dashed $primary 30%; }
    ItemListEditor .item-bar { height: 1; }
    ItemListEditor .item-bar Label { width: 1fr; color: $text-muted; }
    ItemListEditor .item-bar Button, ItemListEditor .list-add { min-width: 5; height: 1; margin-left: 1; }
    ItemListEditor .list-error { color: $error; }
    """

    class Changed(Message):
        def __init__(self, editor: ItemListEditor) -> None:
            self.editor = editor
            super().__init__()

        @property
        def control(self) -> ItemListEditor:
            return self.editor

    def __init__(
        self,
        spec: PropSpec,
        items: list[dict[str, Any]],
        assets: Sequence[AssetRow],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.spec = spec
        self.items: list[dict[str, Any]] = [dict(i) if isinstance(i, dict) else {} for i in items]
        self.assets = tuple(assets)

    @property
    def _base(self) -> str:
        return f"{self.id or self.spec.name}-"

    def compose(self) -> ComposeResult:
        for index, item in enumerate(self.items):
            with Vertical(classes="item"):
                with Horizontal(classes="item-bar"):
                    yield Label(f"item {index + 1}")
                    yield Button(
                        "↑",
                        id=f"{self._base}{index}-up",
                        classes="item-up",
                        tooltip="Move item up",
                        compact=True,
                    )
                    yield Button(
                        "↓",
                        id=f"{self._base}{index}-down",
                        classes="item-down",
                        tooltip="Move item down",
                        compact=True,
                    )
                    yield Button(
                        "✕ remove",
                        id=f"{self._base}{index}-remove",
                        classes="item-remove",
                        variant="error",
                        tooltip="Remove item",
                        compact=True,
                    )
                yield FieldSet(self.spec.fields, item, self.assets, prefix=f"{self._base}{index}-")
        yield Static("", classes="list-error")
        yield Button(
            f"+ add {self.spec.name.replace('_', ' ').rstrip('s')}",
            id=f"{self._base}add",
            classes="list-add",
            compact=True,
        )

    def on_field_set_changed(self, event: FieldSet.Changed) -> None:
        event.stop()
        sets = self._item_sets()
        if event.fieldset in sets:
            self.items[sets.index(event.fieldset)] = dict(event.fieldset.values)
            self.post_message(self.Changed(self))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if not button_id.startswith(self._base):
            return
        event.stop()
        action = button_id[len(self._base) :]
        if action == "add":
            self.add_item()
            target = f"#{self._base}{len(self.items) - 1}-"  # the new item's first field
        else:
            index_text, _, verb = action.partition("-")
            index = int(index_text)
            self.apply(verb, index)
            moved = {"up": max(index - 1, 0), "down": min(index + 1, len(self.items) - 1)}.get(verb)
            target = (
                f"#{self._base}{moved}-{verb}"
                if moved is not None
                else f"#{self._base}{min(index, len(self.items) - 1)}-remove"
                if self.items
                else f"#{self._base}add"
            )
        await self.recompose()
        self._focus_after_rebuild(target)
        self.post_message(self.Changed(self))

    def _focus_after_rebuild(self, target: str) -> None:
        """Keeps the user where they were: the new item's first field, or the moved item's button."""
        if target.endswith("-"):
            fieldset = self._item_sets()[-1] if self._item_sets() else None
            widget = (
                next((w for w in fieldset.query("*") if w.focusable), None) if fieldset else None
            )
        else:
            found = self.query(target)
            widget = found.first() if found else None
        if widget is not None:
            widget.focus()
            # focusing scrolls only to where the rebuilt list was laid out so far: scroll again once
            # the new item has its place (it was sometimes left below the fold)
            self.call_after_refresh(widget.scroll_visible, animate=False)

    def _item_sets(self) -> list[FieldSet]:
        """The field set of each item, in order (not those of deeper lists)."""
        return [
            fs for fs in self.query(FieldSet) if fs.parent is not None and fs.parent.parent is self
        ]

    def add_item(self) -> None:
        """A new item starts empty (its placeholders show what goes there), never with sample text."""
        self.items.append({f.name: f.empty_value() for f in self.spec.fields})

    def apply(self, verb: str, index: int) -> None:
        """Moves (`up`/`down`) or removes (`remove`) the item at `index`."""
        if verb == "remove":
            del self.items[index]
        elif verb == "up" and index > 0:
            self.items[index - 1], self.items[index] = self.items[index], self.items[index - 1]
        elif verb == "down" and index < len(self.items) - 1:
            self.items[index + 1], self.items[index] = self.items[index], self.items[index + 1]

    def show_errors(self, errors: dict[tuple[str | int, ...], str]) -> None:
        own = errors.get((), "")
        sets = self._item_sets()
        for index, fieldset in enumerate(sets):
            fieldset.show_errors(
                {path[1:]: msg for path, msg in errors.items() if path and path[0] == index}
            )
        for shown in self.query(".list-error").results(
            Static
        ):  # none while the list is being rebuilt
            shown.update(own)


class PropsForm(FieldSet):
    """The props of one block; `Changed` carries the whole props dict."""

    class Changed(Message):
        def __init__(self, form: PropsForm, props: dict[str, Any]) -> None:
            self.form = form
            self.props = props
            super().__init__()

        @property
        def control(self) -> PropsForm:
            return self.form

    def on_field_set_changed(self, event: FieldSet.Changed) -> None:
        if event.fieldset is self:
            event.stop()
            self.post_message(PropsForm.Changed(self, copy.deepcopy(self.values)))
