"""The one prop schema every layer uses, and the registry of prop types behind it.

A component's manifest declares its props (`[[props]]` tables); the renderer validates stored values
against them, the CLI coerces `NAME=VALUE` text with them, and the editor builds its form from them.
Each prop type (`text`, `choice`, `list`...) is one `PropType` in `PROP_TYPES` that knows how to
validate a value, coerce one from command-line text, and present itself (the value a new block starts
with, the value a block without it publishes, the hint an empty field shows), so these three readers
can never disagree again.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, ClassVar

from bgpub.domain.enums import AssetType
from bgpub.domain.locations import Where, item_at, prop_at
from bgpub.domain.urls import url_problem
from bgpub.errors import BgpubError, InvalidInput, RenderError

Assets = (
    AbstractSet[str] | Mapping[str, str] | None
)  # known asset names, or names -> AssetType names
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
ASSET_TYPES = tuple(t.value for t in AssetType)
PROP_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters other than \t \n \r
_NAMES: dict[
    int, tuple[tuple[PropSpec, ...], frozenset[str]]
] = {}  # a schema's prop names, by its identity


@dataclass(frozen=True)
class PropSpec:
    """One prop of a component: its name, type and limits (a list prop carries its items' fields)."""

    name: str
    type: str  # a key of PROP_TYPES
    required: bool = False
    default: Any = None
    help: str = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    fields: tuple[PropSpec, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    accept: tuple[str, ...] = ()  # asset props: the asset types allowed (AssetType values)

    @property
    def kind(self) -> PropType:
        """This prop's type from the registry (an unknown type name reads as text)."""
        return PROP_TYPES.get(self.type, PROP_TYPES["text"])

    @property
    def is_text(self) -> bool:
        """True for the types whose value is free text (text, multiline, markdown, url)."""
        return self.kind.free_text

    @property
    def is_prose(self) -> bool:
        """True for the text types people write words in (text, multiline, markdown; not url)."""
        return bool(self.kind.prose)

    def default_value(self) -> Any:
        """What a block that leaves this prop out publishes: the manifest's default, else the type's."""
        return self.kind.stored_default(self)

    def stored_default(self) -> Any:
        """The editor's name for `default_value`: what a block stored without this prop publishes."""
        return self.kind.stored_default(self)

    def empty_value(self) -> Any:
        """The value a new block or list item starts with (see each type's `empty_value`)."""
        return self.kind.empty_value(self)

    def placeholder(self) -> str:
        """What an empty field shows: the component's sample text, or what kind of value goes there."""
        return self.kind.placeholder(self)

    def validate(self, value: Any, where: Where, assets: Assets = None) -> Any:
        """`value` checked against this prop; returns it as stored (raises InvalidInput naming `where`)."""
        return self.kind.validate(self, value, where, assets)

    def coerce(self, text: str, where: Where) -> Any:
        """`text` typed on the command line as this prop's value (None: leave it to the default)."""
        return self.kind.coerce(self, text, where)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (what the `component_library` table stores)."""
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "help": self.help,
            "max_length": self.max_length,
            "choices": list(self.choices),
            "min": self.min,
            "max": self.max,
            "fields": [f.to_dict() for f in self.fields],
            "min_items": self.min_items,
            "max_items": self.max_items,
            "accept": list(self.accept),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PropSpec:
        """Reads a prop from its plain form (`to_dict`, or a manifest table already checked)."""
        return cls(
            name=str(data["name"]),
            type=str(data.get("type", "text")),
            required=bool(data.get("required", False)),
            default=data.get("default"),
            help=str(data.get("help", "") or ""),
            max_length=data.get("max_length"),
            choices=tuple(data.get("choices", ()) or ()),
            min=data.get("min"),
            max=data.get("max"),
            fields=tuple(
                f if isinstance(f, PropSpec) else cls.from_dict(f)
                for f in data.get("fields", ()) or ()
            ),
            min_items=data.get("min_items"),
            max_items=data.get("max_items"),
            accept=tuple(data.get("accept", ()) or ()),
        )

    @classmethod
    def from_manifest(cls, data: Any, where: str, *, nested: bool = False) -> PropSpec:
        """Reads and checks one `[[props]]` table of a component manifest (RenderError names `where`)."""
        if not isinstance(data, Mapping):
            raise RenderError("a prop must be a table", where=where)
        type_name = data.get("type")
        kind = PROP_TYPES.get(type_name) if isinstance(type_name, str) else None
        if kind is None or (nested and not kind.nestable):
            raise RenderError(f"unknown prop type {data.get('type')!r}", where=where)
        if not isinstance(data.get("name"), str) or not PROP_NAME.match(data["name"]):
            raise RenderError(
                "every prop needs a name of [a-z0-9_] starting with a letter", where=where
            )
        raw_fields = data.get("fields", ())
        if not isinstance(raw_fields, list | tuple):
            raise RenderError("fields must be a list of tables", where=where)
        fields = tuple(
            cls.from_manifest(
                f, f"{where}.{f.get('name', '?') if isinstance(f, Mapping) else '?'}", nested=True
            )
            for f in raw_fields
        )
        return cls(
            name=data["name"],
            type=kind.name,
            required=bool(data.get("required", False)),
            default=data.get("default"),
            help=str(data.get("help", "")),
            max_length=data.get("max_length"),
            choices=tuple(data.get("choices", ())),
            min=data.get("min"),
            max=data.get("max"),
            fields=fields,
            min_items=data.get("min_items"),
            max_items=data.get("max_items"),
            accept=kind.read_accept(data, where),
            **kind.check_manifest(data, fields, where),
        )


def check_fields(
    specs: tuple[PropSpec, ...],
    values: Mapping[str, Any],
    where: Where,
    assets: Assets = None,
) -> dict[str, Any]:
    """`values` checked against a schema, defaults filled in; unknown and missing props are refused.

    A prop's place (`where`, one prop deeper) is built only when its value fails: a valid value is
    checked with the parent's place, which nothing reads, and a refused one is checked again at its
    own place, so the error names it as it always did (checks are pure: it is refused again). An
    import checks about a million props at 100,000 pages; building every place first was 15% of it.
    """
    known = _NAMES.get(id(specs))
    if known is None or known[0] is not specs:
        known = _NAMES[id(specs)] = (specs, frozenset(s.name for s in specs))
    names = known[1]
    unknown = () if values.keys() <= names else sorted(set(values) - names)
    if unknown:
        raise InvalidInput(
            f"unknown prop (known: {', '.join(sorted(names)) or 'none'})",
            where=prop_at(where, str(unknown[0])),
        )
    result: dict[str, Any] = {}
    for spec in specs:
        value = values.get(spec.name)
        if value is None:
            if spec.default is None:
                if spec.required:
                    raise InvalidInput("required prop is missing", where=prop_at(where, spec.name))
                result[spec.name] = spec.default_value()
                continue
            value = spec.default_value()  # a manifest default satisfies a required prop
        try:
            result[spec.name] = spec.validate(value, where, assets)
            continue
        except BgpubError:
            pass  # checked again below at its own place, outside this handler (no chained error)
        result[spec.name] = spec.validate(value, prop_at(where, spec.name), assets)
    return result


def shown(value: object, limit: int = 80) -> str:
    """`value` as an error message quotes it: cut short, so a huge input is never echoed back whole."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def refuse_control(value: str, where: Where) -> None:
    """NUL and other control characters break PostgreSQL's JSONB and mean nothing in a page."""
    found = _CONTROL.search(value)
    if found:
        raise InvalidInput(
            f"contains a control character (U+{ord(found.group()):04X}); only tab and "
            "line breaks are allowed",
            where=where,
        )


class PropType:
    """What one prop type knows: its checks, its command-line form and how the editor shows it."""

    name: ClassVar[str] = ""
    # a text-like value: a new block starts empty, the default is only a hint
    free_text: ClassVar[bool] = False
    prose: ClassVar[bool] = False  # words people write (what names a block, what sample copy is)
    nestable: ClassVar[bool] = True  # may be a field of a list item
    empty: ClassVar[Any] = None  # the value when neither the manifest nor the type says more

    def check_manifest(
        self, data: Mapping[str, Any], fields: tuple[PropSpec, ...], where: str
    ) -> dict[str, Any]:
        """Refuses a manifest table this type cannot use; returns extra PropSpec fields (none here)."""
        return {}

    def read_accept(self, data: Mapping[str, Any], where: str) -> tuple[str, ...]:
        """The asset types a prop accepts (only asset props accept any)."""
        return ()

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        raise NotImplementedError

    def coerce(self, spec: PropSpec, text: str, where: Where) -> Any:
        """Command-line text as a value; an empty text of a non-text prop means "the default"."""
        return None if text == "" else text

    def stored_default(self, spec: PropSpec) -> Any:
        if spec.default is not None:
            return list(spec.default) if isinstance(spec.default, list) else spec.default
        return self.empty

    def empty_value(self, spec: PropSpec) -> Any:
        """Settings (number, boolean, choice, asset) start at what the block would publish."""
        return self.stored_default(spec)

    def placeholder(self, spec: PropSpec) -> str:
        sample = spec.default if isinstance(spec.default, str) and spec.default.strip() else ""
        return f"e.g. {sample.splitlines()[0]}" if sample else ""

    def type_error(self, expected: str, value: Any, where: Where) -> InvalidInput:
        return InvalidInput(
            f"{self.name} prop expects {expected}, got {type(value).__name__}", where=where
        )

    def string(self, spec: PropSpec, value: Any, where: Where) -> str:
        """`value` as a string, refused when it is another type or a required prop left blank."""
        if not isinstance(value, str):
            raise self.type_error("a string", value, where)
        if spec.required and not value.strip():
            raise InvalidInput("required prop is empty", where=where)
        return value


class TextType(PropType):
    """One line of text."""

    name = "text"
    free_text = True
    prose = True
    empty = ""

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        value = self.string(spec, value, where)
        if self.name == "text" and ("\n" in value or "\r" in value):
            raise InvalidInput("text prop must be a single line (use multiline)", where=where)
        refuse_control(value, where)
        if spec.max_length is not None and len(value) > spec.max_length:
            raise InvalidInput(
                f"longer than {spec.max_length} characters ({len(value)})", where=where
            )
        return value

    def coerce(self, spec: PropSpec, text: str, where: Where) -> Any:
        return text

    def empty_value(self, spec: PropSpec) -> Any:
        """Text starts empty: the default is its placeholder, so sample copy is never published
        because it was forgotten."""
        return ""


class MultilineType(TextType):
    name = "multiline"


class MarkdownType(TextType):
    name = "markdown"


class UrlType(TextType):
    """A link target: only schemes that cannot run code (see `domain.urls`)."""

    name = "url"
    prose = False

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        value = self.string(spec, value, where)
        refuse_control(value, where)
        if value and (problem := url_problem(value)):
            raise InvalidInput(problem, where=where)
        return value

    def placeholder(self, spec: PropSpec) -> str:
        sample = spec.default if isinstance(spec.default, str) and spec.default.strip() else ""
        return f"e.g. {sample}" if sample else "https://… or /page/"


class ChoiceType(PropType):
    """One of the manifest's `choices`; without a default, the first choice is the default."""

    name = "choice"

    def check_manifest(
        self, data: Mapping[str, Any], fields: tuple[PropSpec, ...], where: str
    ) -> dict[str, Any]:
        choices = data.get("choices")
        if (
            not choices
            or not isinstance(choices, list | tuple)
            or not all(isinstance(c, str) for c in choices)
        ):
            raise RenderError("a choice prop needs choices", where=where)
        return {}

    def stored_default(self, spec: PropSpec) -> Any:
        if spec.default is not None:
            return spec.default
        return spec.choices[0] if spec.choices else None

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        value = self.string(spec, value, where)
        if value not in spec.choices:
            raise InvalidInput(
                f"{shown(value)} is not one of {', '.join(spec.choices)}", where=where
            )
        return value


class AssetRefType(PropType):
    """The name of one of the project's assets, of a type the prop accepts (images by default)."""

    name = "asset"

    def read_accept(self, data: Mapping[str, Any], where: str) -> tuple[str, ...]:
        raw = data.get("accept", ["image"])
        if (
            not isinstance(raw, list)
            or not raw
            or not all(isinstance(a, str) and a.upper() in ASSET_TYPES for a in raw)
        ):
            raise RenderError(
                f"accept must list asset types ({', '.join(t.lower() for t in ASSET_TYPES)})",
                where=where,
            )
        return tuple(a.upper() for a in raw)

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        value = self.string(spec, value, where)
        if not value:
            return None
        if assets is not None and value not in assets:
            raise InvalidInput(f"asset {shown(value)} does not exist in this project", where=where)
        if (
            isinstance(assets, Mapping)
            and spec.accept
            and str(assets[value]).upper() not in spec.accept
        ):
            wanted = " or ".join(a.lower() for a in spec.accept)
            raise InvalidInput(
                f"asset {value!r} is a {str(assets[value]).lower()}; this prop accepts "
                f"{wanted} assets only",
                where=where,
            )
        return value


class NumberType(PropType):
    """An int or a finite float within the manifest's `min` and `max`."""

    name = "number"

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            raise self.type_error("a number", value, where)
        if spec.min is not None and value < spec.min:
            raise InvalidInput(f"{shown(value)} is below the minimum {spec.min}", where=where)
        if spec.max is not None and value > spec.max:
            raise InvalidInput(f"{shown(value)} is above the maximum {spec.max}", where=where)
        return value

    def coerce(self, spec: PropSpec, text: str, where: Where) -> Any:
        if text == "":
            return None
        try:
            return int(text)
        except ValueError:  # not an integer, or more digits than Python converts
            try:
                number = float(text)
            except ValueError:
                raise InvalidInput(f"expected a number, got {shown(text)}", where=where) from None
            if not math.isfinite(number):
                raise InvalidInput(
                    f"expected a finite number, got {shown(text)}", where=where
                ) from None
            return number

    def placeholder(self, spec: PropSpec) -> str:
        return "a number"


class BooleanType(PropType):
    """True or false; the command line also takes yes/no, on/off and 1/0."""

    name = "boolean"
    empty = False

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        if not isinstance(value, bool):
            raise self.type_error("true or false", value, where)
        return value

    def coerce(self, spec: PropSpec, text: str, where: Where) -> Any:
        if text == "":
            return None
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise InvalidInput(f"expected true or false, got {shown(text)}", where=where)


class ListType(PropType):
    """Items that are objects of the prop's `fields`, between `min_items` and `max_items`."""

    name = "list"
    nestable = False

    def check_manifest(
        self, data: Mapping[str, Any], fields: tuple[PropSpec, ...], where: str
    ) -> dict[str, Any]:
        if not fields:
            raise RenderError("a list prop needs [[props.fields]]", where=where)
        return {}

    def stored_default(self, spec: PropSpec) -> Any:
        return list(spec.default) if isinstance(spec.default, list) else []

    def empty_value(self, spec: PropSpec) -> Any:
        """A list starts with its minimum of empty items (one when required)."""
        count = spec.min_items or (1 if spec.required else 0)
        return [{f.name: f.empty_value() for f in spec.fields} for _ in range(count)]

    def placeholder(self, spec: PropSpec) -> str:
        return ""

    def validate(self, spec: PropSpec, value: Any, where: Where, assets: Assets) -> Any:
        if not isinstance(value, list):
            raise self.type_error("a list", value, where)
        if spec.min_items is not None and len(value) < spec.min_items:
            raise InvalidInput(f"needs at least {spec.min_items} items", where=where)
        if spec.max_items is not None and len(value) > spec.max_items:
            raise InvalidInput(f"allows at most {spec.max_items} items", where=where)
        try:  # each item's place only when one fails (see check_fields)
            return [self._item(spec, item, where, assets) for item in value]
        except BgpubError:
            pass
        return [
            self._item(spec, item, item_at(where, index), assets)
            for index, item in enumerate(value, start=1)
        ]

    def _item(self, spec: PropSpec, item: Any, where: Where, assets: Assets) -> dict[str, Any]:
        if not isinstance(item, Mapping):
            raise InvalidInput(
                f"list item must be an object, got {type(item).__name__}", where=where
            )
        return check_fields(spec.fields, item, where, assets)

    def coerce(self, spec: PropSpec, text: str, where: Where) -> Any:
        """A list is given as JSON text on the command line."""
        if text == "":
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"a {self.name} prop is given as JSON text: {exc.msg} at column {exc.colno}",
                where=where,
            ) from None
        except RecursionError:
            raise InvalidInput(f"a {self.name} prop is nested too deeply", where=where) from None


PROP_TYPES: dict[str, PropType] = {
    t.name: t
    for t in (
        TextType(),
        MultilineType(),
        MarkdownType(),
        UrlType(),
        AssetRefType(),
        NumberType(),
        BooleanType(),
        ChoiceType(),
        ListType(),
    )
}
