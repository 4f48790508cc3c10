"""Small dialogs: confirm, choose among answers, and fill a few fields with inline checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 70; max-width: 100%; height: auto; max-height: 100%; border: thick $primary; background: $surface; padding: 1 2; }}
{name} .buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .buttons Button {{ margin-left: 1; }}
{name} .error {{ color: $error; height: auto; }}
"""


class ConfirmModal(ModalScreen[bool]):
    """Yes/no; `y`/Enter confirms, `n`/Escape cancels."""

    DEFAULT_CSS = MODAL_CSS.format(name="ConfirmModal")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, confirm: str = "Yes", danger: bool = False) -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="no")
                yield Button(
                    self.confirm_label, id="yes", variant="error" if self.danger else "primary"
                )

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ChoiceModal(ModalScreen[str | None]):
    """A question with a few answers (e.g. reload / overwrite / cancel); returns the answer's key."""

    DEFAULT_CSS = MODAL_CSS.format(name="ChoiceModal")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, question: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = tuple(choices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                for key, label in self.choices:
                    yield Button(label, id=f"choice-{key}")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class FormField:
    """One field of a FormModal: a text input, or a select when `options` are given."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] | None = None  # (label, value)
    check: Callable[[str], str | None] | None = None  # returns an error message, shown inline


class FormModal(ModalScreen[dict[str, str] | None]):
    """A few labelled fields checked as you type; Enter or OK returns the values when all are valid."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="FormModal")
        + """
    FormModal VerticalScroll { height: auto; max-height: 18; }
    FormModal Label { margin-top: 1; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel")]

    def __init__(self, title: str, fields: Sequence[FormField], *, submit: str = "OK") -> None:
        super().__init__()
        self.title_text = title
        self.fields = tuple(fields)
        self.submit_label = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.title_text}[/b]")
            with VerticalScroll():
                for f in self.fields:
                    yield Label(f.label)
                    if f.options is not None:
                        yield Select(
                            f.options,
                            value=f.value if f.value in {v for _, v in f.options} else Select.NULL,
                            allow_blank=False,
                            id=f"form-{f.name}",
                        )
                    else:
                        yield Input(f.value, placeholder=f.placeholder, id=f"form-{f.name}")
                    yield Static("", classes="error", id=f"form-{f.name}-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.submit_label, id="ok", variant="primary")

    def on_mount(self) -> None:
        first = next(
            (f for f in self.fields if f.options is None), self.fields[0] if self.fields else None
        )
        if first is not None:
            self.query_one(f"#form-{first.name}").focus()

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            selector = f"#form-{f.name}"  # a Select when the field has options (see compose)
            value: object = (
                self.query_one(selector, Input).value
                if f.options is None
                else self.query_one(selector, Select).value
            )
            out[f.name] = "" if value is Select.NULL else str(value)
        return out

    def _check(self) -> bool:
        ok = True
        values = self.values()
        for f in self.fields:
            message = f.check(values[f.name]) if f.check else None
            self.query_one(f"#form-{f.name}-error", Static).update(message or "")
            ok = ok and not message
        return ok

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        if self._check():
            self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)
