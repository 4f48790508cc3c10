"""Deploy target kinds by name: each kind declares its options, checks a config and opens a target.

Lektor keys its publishers by URL scheme; bgpub keys target kinds by name. A kind lives in its own
module as a `TargetType` (`KIND`); this registry maps names to those modules and loads a module only
when its kind is used, so listing kinds never imports boto3. Nothing else branches on a kind: the
service stores what `TargetType.config()` returns and the CLI builds its options from `option_table()`.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bgpub.errors import InvalidInput

Parse = Callable[[Any, str], Any]  # (given value, where) -> stored value; raises InvalidInput


def text(value: Any, where: str) -> str:
    cleaned = str(value).strip()
    if any(ord(ch) < 32 for ch in cleaned):
        raise InvalidInput(f"{cleaned!r} holds control characters", where=where)
    return cleaned


def local_path(value: Any, where: str) -> str:
    """A local path, stored absolute so the target means the same folder from any directory."""
    return os.path.abspath(os.path.expanduser(text(value, where)))


def flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise InvalidInput(f"{value!r} is not true or false", where=where)


def integer(low: int, high: int) -> Parse:
    def parse(value: Any, where: str) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"{value!r} is not a whole number", where=where) from None
        if not low <= number <= high:
            raise InvalidInput(f"must be between {low} and {high}", where=where)
        return number

    return parse


def http_url(value: Any, where: str) -> str:
    """An http(s) URL without query or fragment, stored without a trailing slash."""
    cleaned = text(value, where)
    parsed = urlparse(cleaned)
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.netloc
        or parsed.query
        or parsed.fragment
    ):
        raise InvalidInput(
            f"{cleaned!r} is not an http(s) URL such as https://www.example.com", where=where
        )
    return cleaned.rstrip("/")


def base_url(value: Any, where: str) -> str:
    cleaned = http_url(value, where)
    if re.search(r"[\s<>\"'`]", cleaned):
        raise InvalidInput(f"{cleaned!r} is not usable as a base URL", where=where)
    return cleaned


@dataclass(frozen=True)
class Option:
    """One config key of a kind; on the command line `--name-with-dashes`."""

    name: str
    help: str
    required: bool = False
    parse: Parse = text
    is_flag: bool = False
    default: Any = None  # stored when the option is not given (None: not stored)

    @property
    def flag_name(self) -> str:
        return "--" + self.name.replace("_", "-")


# Options every kind accepts: the target's own public address and the host rule files.
COMMON = (
    Option(
        "base_url",
        "the public URL this target serves (https://staging.example.com): canonical links, "
        "sitemap and feeds of versions published to it; beats the project's domain",
        parse=base_url,
    ),
    Option(
        "host_rules",
        "write _headers and _redirects for hosts that read them (Netlify, Cloudflare Pages)",
        parse=flag,
        is_flag=True,
    ),
)


@dataclass(frozen=True)
class TargetType:
    """A kind of target: its name, options, how a config is checked and how the target is opened.

    `opener(config, state_dir)` builds the target; `check(config, where)` runs rules that span options;
    `site_url(config)` is the public URL the host itself gives the site (GitHub Pages, a bucket
    website), if any; `host_files(config, context)` are files the host reads (CNAME, .nojekyll);
    `object_redirects(config)` says the target writes redirects as its own objects' redirects (S3),
    so a version for it carries `_redirects` and a page at every old address.
    """

    name: str
    summary: str
    options: tuple[Option, ...]
    opener: Callable[[Mapping[str, Any], Path], Any]
    check: Callable[[dict[str, Any], str], None] | None = None
    site_url: Callable[[Mapping[str, Any]], str | None] = field(default=lambda config: None)
    host_files: Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, bytes]] = field(
        default=lambda config, context: {}
    )
    object_redirects: Callable[[Mapping[str, Any]], bool] = field(default=lambda config: False)

    def all_options(self) -> tuple[Option, ...]:
        return self.options + COMMON

    def config(self, given: Mapping[str, Any], where: str) -> dict[str, Any]:
        """The config to store: known options only, each parsed, required ones present."""
        known = {o.name: o for o in self.all_options()}
        values = {k: v for k, v in given.items() if v is not None and v != "" and v is not False}
        unknown = sorted(set(values) - set(known))
        if unknown:
            names = ", ".join(known[n].flag_name for n in sorted(known))
            flags = ", ".join("--" + n.replace("_", "-") for n in unknown)
            raise InvalidInput(
                f"a {self.name} target has no option {flags} (it takes {names})", where=where
            )
        config: dict[str, Any] = {}
        for option in self.all_options():
            if option.name in values:
                config[option.name] = option.parse(
                    values[option.name], f"{where}, {option.flag_name}"
                )
            elif option.required:
                raise InvalidInput(
                    f"a {self.name} target needs {option.flag_name} ({option.help})", where=where
                )
            elif option.default is not None:
                config[option.name] = option.default
        if self.check is not None:
            self.check(config, where)
        return config

    def open(self, config: Mapping[str, Any], state_dir: Path) -> Any:
        return self.opener(config, state_dir)


# name -> module holding `KIND`; loaded on first use
BUILTIN: dict[str, str] = {
    "dir": "bgpub.publish.targets.dir",
    "git": "bgpub.publish.targets.git",
    "rsync": "bgpub.publish.targets.rsync",
    "s3": "bgpub.publish.targets.s3",
    "rclone": "bgpub.publish.targets.rclone",
}
_loaded: dict[str, TargetType] = {}


def register(kind: TargetType, module: str | None = None) -> TargetType:
    """Adds a kind (an extension's own, or a built-in on first use)."""
    _loaded[kind.name] = kind
    if module is not None:
        BUILTIN.setdefault(kind.name, module)
    return kind


def names() -> tuple[str, ...]:
    return tuple(sorted(set(BUILTIN) | set(_loaded)))


def get(name: str, where: str = "--kind") -> TargetType:
    """The kind called `name`; InvalidInput naming the known kinds otherwise."""
    if name in _loaded:
        return _loaded[name]
    if name not in BUILTIN:
        raise InvalidInput(f"unknown kind {name!r}; use one of {', '.join(names())}", where=where)
    kind = importlib.import_module(BUILTIN[name]).KIND
    return register(kind)


def every_kind() -> list[TargetType]:
    return [get(name) for name in names()]


def option_table() -> dict[str, tuple[Option, list[str]]]:
    """Every option of every kind once, with the kinds that take it (the CLI's `target add` flags)."""
    table: dict[str, tuple[Option, list[str]]] = {}
    for kind in every_kind():
        for option in kind.all_options():
            table.setdefault(option.name, (option, []))[1].append(kind.name)
    return table
