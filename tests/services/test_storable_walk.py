"""The import's quick storability walk (`_plainly_storable`) against its definition: no NUL, no lone
surrogate, every integer within 32 bits, anywhere in dataclass fields (except private ones and
`source_token`), mapping keys and values, lists and tuples; and `check_storable` still names the
place of whatever the walk sends back."""

from __future__ import annotations

import dataclasses
import enum
import random
import types
from typing import Any

import pytest

from bgpub.errors import InvalidInput
from bgpub.services import importing_checks
from bgpub.services.importing_checks import INT32, check_storable


class Word(str):
    pass


class Level(enum.IntEnum):
    LOW = 1
    HUGE = 2**40


@dataclasses.dataclass(frozen=True)
class Nothing:
    pass


@dataclasses.dataclass(frozen=True)
class One:
    value: Any


@dataclasses.dataclass(frozen=True)
class Many:
    first: Any
    second: Any
    _hidden: Any = "\x00"  # private: never stored, never checked
    source_token: Any = 2**70


def defined(value: Any) -> bool:
    """The walk's definition, written plainly."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return "\x00" not in value
    if value is None or isinstance(value, bool | float):
        return True
    if isinstance(value, int):
        return INT32[0] <= value <= INT32[1]
    if isinstance(value, dict | types.MappingProxyType):
        return all(defined(k) and defined(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(map(defined, value))
    if dataclasses.is_dataclass(value):
        return all(
            defined(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_") and f.name != "source_token"
        )
    return True


BAD = ["\x00", "a\x00b", "\ud800", "é\udfff", 2**31, -(2**31) - 1, Level.HUGE, Word("x\x00")]
GOOD = ["", "plain", "é ✓ 𝄞", 2**31 - 1, -(2**31), 0, True, 1.5e300, None, Level.LOW, Word("w")]


def value(rng: random.Random, depth: int = 0) -> Any:
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(BAD if rng.random() < 0.1 else GOOD)
    children = [value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    shape = rng.randrange(7)
    if shape == 0:
        keys = [
            rng.choice(BAD + [3]) if rng.random() < 0.05 else f"k{i}"
            for i, _ in enumerate(children)
        ]
        return dict(zip(keys, children, strict=True))
    if shape == 1:
        return types.MappingProxyType({f"k{i}": c for i, c in enumerate(children)})
    if shape == 2:
        return tuple(children)
    if shape == 3:
        return One(children[0] if children else None)
    if shape == 4:
        return Many(children, value(rng, depth + 1), _hidden=value(rng, depth + 1))
    if shape == 5:
        return Nothing()
    return children


def test_the_walk_agrees_with_its_definition_on_random_values() -> None:
    rng = random.Random(18)
    verdicts = []
    for _ in range(4000):
        item = value(rng)
        verdict = importing_checks._plainly_storable(item)
        assert verdict is defined(item), item
        verdicts.append(verdict)
    assert 400 < verdicts.count(False) < 3600  # both answers are exercised


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(
    "wrap",
    [
        lambda v: v,
        lambda v: [1, [2, (v,)]],
        lambda v: {"a": {"b": v}},
        lambda v: {v: 1} if isinstance(v, str) else {"k": v},
        lambda v: One(v),
        lambda v: Many("x", [v]),
        lambda v: types.MappingProxyType({"m": v}),
    ],
)
def test_whatever_the_walk_refuses_is_named_by_check_storable(bad: Any, wrap: Any) -> None:
    item = wrap(bad)
    assert importing_checks._plainly_storable(item) is False
    if isinstance(bad, int) and not isinstance(bad, bool) and -(2**63) <= bad < 2**63:
        check_storable(item, "snapshot")  # fits a 64-bit column where no 32-bit one is named
        return
    with pytest.raises(InvalidInput):
        check_storable(item, "snapshot")


def test_private_fields_and_source_tokens_are_not_walked() -> None:
    assert importing_checks._plainly_storable(Many("a", "b", _hidden="\x00", source_token=2**80))
