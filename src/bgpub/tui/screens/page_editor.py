"""The page editor: ordered blocks on the left, the highlighted block's props form on the right.

Edits stay local until Ctrl+S saves the page with the revision it was loaded at; a concurrent save
by someone else is detected by the service (Conflict) and the user chooses reload or overwrite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, OptionList, Static

from bgpub.domain.assets import AssetRow
from bgpub.domain.blocks import Block
from bgpub.domain.components import ComponentInfo
from bgpub.domain.pages import PageDocument
from bgpub.errors import BgpubError, Conflict, InvalidInput, failure_text
from bgpub.tui.edit_history import EditHistory
from bgpub.tui.messages import OperationFailed, PageLoaded, PageSaved, SaveConflicted
from bgpub.tui.screens.base import EditorScreen, log
from bgpub.tui.screens.block_actions import BlockClipboard, UndoRedo
from bgpub.tui.screens.modals import ChoiceModal
from bgpub.tui.widgets.block_list import BlockList, block_label
from bgpub.tui.widgets.component_palette import ComponentPaletteModal
from bgpub.tui.widgets.props_form import PropsForm
from bgpub.tui.widgets.screen_header import ScreenHeader


class PropsPanel(VerticalScroll, can_focus=False):
    """Scrolls the props form; never a focus stop of its own (Shift+Tab goes from a field to the list)."""


class BlockChecked(Message):
    """The props of the block at `index` were validated; `errors` maps field paths to messages."""

    def __init__(
        self, index: int, generation: int, errors: dict[tuple[str | int, ...], str]
    ) -> None:
        self.index = index
        self.generation = generation
        self.errors = errors
        super().__init__()


def errors_of(exc: BgpubError) -> dict[tuple[str | int, ...], str]:
    """The field path an error names and its message.

    Validation gives the place as a `Location` whose prop path `('features', 2, 'title')` (1-based
    items) becomes the form's ('features', 1, 'title'); without a prop, the error belongs to the
    block as a whole: ().
    """
    path: tuple[str | int, ...] = exc.location.field_path if exc.location is not None else ()
    return {path: exc.message}


class PageEditorScreen(BlockClipboard, UndoRedo, EditorScreen):
    BINDINGS = [
        Binding("escape", "leave", "Back", id="editor.back"),
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("a", "add_block", "Add block", id="editor.add"),
        # Insert opens the palette even from a text field, before the keys typed after it reach the field
        Binding("insert", "add_block", "Add block", id="editor.insert", show=False, priority=True),
        Binding("ctrl+up,K", "move_block(-1)", "Move up", id="editor.move-up", show=False),
        Binding("ctrl+down,J", "move_block(1)", "Move down", id="editor.move-down", show=False),
        Binding("c", "duplicate_block", "Duplicate", id="editor.duplicate", show=False),
        Binding("y", "copy_block", "Copy block", id="editor.copy", show=False),
        Binding("d", "cut_block", "Cut block", id="editor.cut", show=False),
        Binding("p", "paste_block", "Paste block", id="editor.paste", show=False),
        Binding("delete,x", "remove_block", "Remove", id="editor.remove"),
        Binding("ctrl+z", "undo", "Undo", id="editor.undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="editor.redo", show=False),
        Binding("f3", "history", "History", id="editor.history", show=False),
        Binding("f2", "focus_form", "Edit props", id="editor.form", show=False),
    ]
    # keys that change the set or order of blocks: only while the block list has focus (inside the
    # props form, Delete edits text and a list item's buttons are not the block)
    BLOCK_ACTIONS = frozenset(
        {"remove_block", "duplicate_block", "move_block", "copy_block", "cut_block", "paste_block"}
    )
    DEFAULT_CSS = """
    PageEditorScreen #editor-body { height: 1fr; }
    PageEditorScreen BlockList { width: 32; min-width: 24; height: 1fr; }
    PageEditorScreen #props { width: 1fr; height: 1fr; padding: 0 1; border-left: vkey $primary 30%; }
    PageEditorScreen #props-title { text-style: bold; color: $accent; }
    PageEditorScreen #block-error { color: $error; margin-bottom: 1; }
    """

    def __init__(self, project: str, slug: str) -> None:
        super().__init__()
        self.project = project
        self.slug = slug
        self.document: PageDocument | None = None
        self.blocks: list[Block] = []
        self.components: dict[str, ComponentInfo] = {}
        self.component_list: tuple[ComponentInfo, ...] = ()
        self.assets: tuple[AssetRow, ...] = ()
        self.history = EditHistory()
        self.invalid: dict[int, dict[tuple[str | int, ...], str]] = {}
        self.form_index: int | None = None
        self._generation = 0
        self._form_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="editor-status", classes="summary")
        with Horizontal(id="editor-body"):
            yield BlockList(id="blocks")
            with PropsPanel(id="props"):
                yield Static("", id="props-title")
                yield Static("", id="block-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"{self.project} / {self.slug}"
        self.sub_title = "page"
        self.load()

    @work(thread=True, exclusive=True, group="editor-load")
    def load(self) -> None:
        with self.reporting(f"opening page {self.slug}"):
            document = self.session.load_page(self.project, self.slug)
            self.post_message(
                PageLoaded(
                    document,
                    self.session.components(self.project),
                    self.session.assets(self.project),
                )
            )

    async def on_page_loaded(self, message: PageLoaded) -> None:
        self.document = message.document
        self.component_list = message.components
        self.components = {c.key: c for c in message.components}
        self.assets = message.assets
        self.blocks = list(message.document.blocks)
        self.history.reset()
        self.invalid.clear()
        await self._refresh_blocks(0 if self.blocks else None, rebuild_form=True)
        self.query_one(BlockList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if (
            action in self.BLOCK_ACTIONS
            and self.focused is not None
            and self.focused is not self.block_list
        ):
            return False
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # the footer shows block keys only while the list has focus

    # showing
    @property
    def block_list(self) -> BlockList:
        return self.query_one(BlockList)

    def _status(self) -> None:
        doc = self.document
        if doc is None:
            return
        state = "[b $warning]● unsaved[/]" if self.dirty else "saved"
        problems = f" · [b $error]{len(self.invalid)} with errors[/]" if self.invalid else ""
        self.query_one("#editor-status", Static).update(
            f"{doc.title} · {doc.url} · rev {doc.revision} · {len(self.blocks)} block(s) · {state}{problems}"
        )

    async def _refresh_blocks(self, highlight: int | None, *, rebuild_form: bool) -> None:
        names = {k: c.name for k, c in self.components.items()}
        self.form_index = None if rebuild_form else self.form_index
        self.block_list.set_blocks(
            self.blocks,
            names,
            components=self.components,
            highlight=highlight,
            invalid=frozenset(self.invalid),
        )
        if rebuild_form:
            await self._show_form(highlight)
        self._status()

    @on(OptionList.OptionHighlighted, "#blocks")
    async def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.form_index:
            await self._show_form(event.option_index)

    async def _show_form(self, index: int | None) -> None:
        async with self._form_lock:  # a highlight can arrive while a form is being swapped
            await self._swap_form(index)

    async def _swap_form(self, index: int | None) -> None:
        panel = self.query_one("#props", VerticalScroll)
        old = panel.query(PropsForm)
        for form in (
            old
        ):  # out of the layout first: a frame painted mid-removal would draw a pruned TextArea
            form.display = False
        await old.remove()
        self.query_one("#block-error", Static).update("")
        title = self.query_one("#props-title", Static)
        if index is None or not (0 <= index < len(self.blocks)):
            self.form_index = None
            title.update(
                "No blocks yet: press a to add one from the component palette."
                if not self.blocks
                else ""
            )
            return
        block = self.blocks[index]
        component = self.components.get(block.component)
        self.form_index = index
        self.query_one("#block-error", Static).update(
            self._block_message(index, self.invalid.get(index, {}))
        )
        if component is None:
            title.update(f"Block {index + 1}: unknown component {block.component!r}")
            return
        title.update(f"Block {index + 1}: {component.name}  ({component.type.lower()})")
        form = PropsForm(component.props, block.props, self.assets, id="props-form")
        await panel.mount(form)
        if index in self.invalid:
            form.show_errors(self.invalid[index])

    @property
    def form(self) -> PropsForm | None:
        forms = self.query(PropsForm)
        return forms.first() if forms else None

    # editing
    @property
    def dirty(self) -> bool:
        """Whether what is shown differs from what was last loaded or saved (undo can make it clean)."""
        return self.history.dirty

    def _changed(self) -> None:
        self._status()

    def on_props_form_changed(self, event: PropsForm.Changed) -> None:
        index = self.form_index
        if index is None:
            return
        before = tuple(self.blocks)
        old = self.blocks[index].props
        fields = sorted(k for k in {*old, *event.props} if old.get(k) != event.props.get(k))
        block = Block(self.blocks[index].component, event.props)
        self.blocks[index] = block
        name = self._component_name(block)
        field = fields[0] if len(fields) == 1 else None  # typing in one field is one step
        label = f"block {index + 1} {name}: {(field or ', '.join(fields)).replace('_', ' ')}"
        self.history.record(label, before, self.blocks, key=(index, field) if field else None)
        self.block_list.replace_option_prompt_at_index(index, self._prompt(index, block))
        self._changed()
        self._generation += 1
        self.check(index, block, self._generation)

    def _component_name(self, block: Block) -> str:
        return (
            self.components[block.component].name
            if block.component in self.components
            else block.component
        )

    def _prompt(self, index: int, block: Block) -> Text:
        component = self.components.get(block.component)
        return block_label(
            index, self._component_name(block), block, index in self.invalid, component
        )

    @work(thread=True, exclusive=True, group="editor-check")
    def check(self, index: int, block: Block, generation: int) -> None:
        errors: dict[tuple[str | int, ...], str] = {}
        try:
            for problem in reversed(
                self.session.check_block(self.project, self.slug, index, block)
            ):
                errors.update(
                    errors_of(problem) if isinstance(problem, InvalidInput) else {(): str(problem)}
                )
        except BgpubError as exc:
            errors = {(): str(exc)}
        except Exception as exc:  # never a traceback: show it where the user looks
            errors = {(): f"cannot check this block: {failure_text(exc)}"}
        self.post_message(BlockChecked(index, generation, errors))

    def on_block_checked(self, message: BlockChecked) -> None:
        if message.generation != self._generation or message.index >= len(self.blocks):
            return
        was_invalid = message.index in self.invalid
        if message.errors:
            self.invalid[message.index] = message.errors
        else:
            self.invalid.pop(message.index, None)
        if message.index == self.form_index and self.form is not None:
            self.form.show_errors(message.errors)
            self.query_one("#block-error", Static).update(
                self._block_message(message.index, message.errors)
            )
        if was_invalid != bool(message.errors):
            self.block_list.replace_option_prompt_at_index(
                message.index, self._prompt(message.index, self.blocks[message.index])
            )
        self._status()

    def _block_message(self, index: int, errors: dict[tuple[str | int, ...], str]) -> str:
        """What no field of the form can show: the block's own problem, and props the schema does not know."""
        component = (
            self.components.get(self.blocks[index].component) if index < len(self.blocks) else None
        )
        known = {p.name for p in component.props} if component is not None else set()
        lines = [errors[()]] if errors.get(()) else []
        lines += [
            f"prop {path[0]}: {msg}"
            for path, msg in errors.items()
            if path and path[0] not in known
        ]
        return "\n".join(lines)

    async def _structural(self, blocks: list[Block], highlight: int | None, label: str) -> None:
        """Applies a change to the order or set of blocks (one undoable step) and shows it."""
        self.history.record(label, self.blocks, blocks)
        self.blocks = blocks
        self.invalid.clear()  # positions moved: re-checked on the next edit or at save
        self._changed()
        await self._refresh_blocks(highlight, rebuild_form=True)

    def _selected(self) -> int | None:
        index = self.block_list.highlighted
        return index if index is not None and 0 <= index < len(self.blocks) else None

    def action_add_block(self) -> None:
        if not self.component_list:
            self.notify(
                f"no components found in {self.session.components_path()}: point BGPUB_COMPONENTS_PATH at the "
                "folder that holds the component folders (each with a component.toml)",
                severity="warning",
                timeout=10,
            )
            return
        self.app.push_screen(ComponentPaletteModal(self.component_list), self._add)

    async def _add(self, key: str | None) -> None:
        if not key:
            return
        component = self.components[key]
        selected = self._selected()
        at = (selected + 1) if selected is not None else len(self.blocks)
        blocks = list(self.blocks)
        blocks.insert(at, Block(key, component.new_props()))
        await self._structural(blocks, at, f"added block {at + 1} {component.name}")
        self._generation += 1
        self.check(at, blocks[at], self._generation)  # required empty fields are flagged at once
        self.call_after_refresh(self.action_focus_form)

    async def action_move_block(self, delta: int) -> None:
        index = self._selected()
        if index is None or not (0 <= index + delta < len(self.blocks)):
            return
        blocks = list(self.blocks)
        blocks[index], blocks[index + delta] = blocks[index + delta], blocks[index]
        await self._structural(
            blocks,
            index + delta,
            f"moved {self._component_name(blocks[index + delta])} to {index + delta + 1}",
        )

    async def action_duplicate_block(self) -> None:
        index = self._selected()
        if index is not None:
            blocks = list(self.blocks)
            blocks.insert(
                index + 1, Block(self.blocks[index].component, dict(self.blocks[index].props))
            )
            await self._structural(
                blocks,
                index + 1,
                f"duplicated block {index + 1} {self._component_name(blocks[index])}",
            )

    async def action_remove_block(self) -> None:
        index = self._selected()
        if index is None:
            return
        blocks = list(self.blocks)
        del blocks[index]
        removed = self._component_name(self.blocks[index])
        await self._structural(
            blocks,
            min(index, len(blocks) - 1) if blocks else None,
            f"removed block {index + 1} {removed}",
        )
        self.notify("block removed (Ctrl+Z brings it back)")

    def action_focus_form(self) -> None:
        form = self.form
        if form is not None:
            first = next((w for w in form.query("*") if w.focusable), None)
            if first is not None:
                first.focus()

    # saving
    def action_save(self) -> None:
        if self.document is not None:
            self.save(self.document.revision)

    @work(thread=True, exclusive=True, group="editor-save")
    def save(self, expected_revision: int | None) -> None:
        """Saves all blocks at once; `expected_revision` None overwrites whatever is stored."""
        try:
            document = self.session.save_page(
                self.project, self.slug, list(self.blocks), expected_revision
            )
        except Conflict as exc:
            self.post_message(SaveConflicted(str(exc)))
        except InvalidInput as exc:
            self.post_message(BlockChecked(*self._block_of(exc), errors_of(exc)))
            self.post_message(OperationFailed(f"not saved: {exc}", what="saving the page"))
        except BgpubError as exc:
            self.post_message(OperationFailed(f"not saved: {exc}", what="saving the page"))
        except Exception as exc:  # no traceback on screen, ever
            log.exception("saving failed")
            self.post_message(
                OperationFailed(f"not saved: {failure_text(exc)}", what="saving the page")
            )
        else:
            self.post_message(PageSaved(document))

    def _block_of(self, exc: BgpubError) -> tuple[int, int]:
        block = exc.location.block if exc.location is not None else None
        index = block - 1 if block is not None else (self.form_index or 0)
        return index, self._generation

    def on_page_saved(self, message: PageSaved) -> None:
        self.document = message.document
        self.history.mark_saved()
        self.invalid.clear()
        self._status()
        self.notify(f"saved /{self.slug} (revision {message.document.revision})")
        self._after_save_done(True)

    def on_operation_failed(self, message: OperationFailed) -> None:
        self._after_save_done(False)
        super().on_operation_failed(message)

    def on_save_conflicted(self, message: SaveConflicted) -> None:
        self._after_save_done(False)
        question = (
            f"{message.text}\n\nSomeone saved this page after you opened it. Reload their version "
            "(your changes are lost) or overwrite it with yours?"
        )
        self.app.push_screen(
            ChoiceModal(
                question,
                [
                    ("reload", "Reload theirs"),
                    ("overwrite", "Overwrite with mine"),
                    ("cancel", "Cancel"),
                ],
            ),
            self._resolve_conflict,
        )

    def _resolve_conflict(self, answer: str | None) -> None:
        if answer == "reload":
            self.load()
        elif answer == "overwrite":
            self.save(None)

    # unsaved work (asked about by Esc here and by Ctrl+Q anywhere)
    @property
    def has_unsaved_changes(self) -> bool:
        return self.dirty

    @property
    def unsaved_label(self) -> str:
        return f"page {self.slug} of {self.project.split('/')[-1]}"

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        if self.document is None:
            done(True)
            return
        self._after_save = done
        self.save(self.document.revision)

    def _after_save_done(self, ok: bool) -> None:
        done, self._after_save = self._after_save, None
        if done is not None:
            done(ok)

    # leaving
    def action_leave(self) -> None:
        if not self.dirty:
            self.app.pop_screen()
            return
        self.app.push_screen(
            ChoiceModal(
                "This page has unsaved changes.",
                [("save", "Save"), ("discard", "Discard"), ("cancel", "Stay")],
            ),
            self._leave_answer,
        )

    _after_save: Callable[[bool], None] | None = None

    def _leave_answer(self, answer: str | None) -> None:
        if answer == "discard":
            self.history.reset()
            self.app.pop_screen()
        elif answer == "save":
            self.save_unsaved(self._leave_if_saved)

    def _leave_if_saved(self, ok: bool) -> None:
        if ok:
            self.app.pop_screen()
