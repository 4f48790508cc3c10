"""Which context variables each template reads, remembered between renders and processes.

Finding out means parsing every template (~0.15 s for the library and a theme), which a one-page
rebuild in a fresh process cannot afford; the answer depends only on the templates' sources, so it
is kept per fingerprint of the built-in templates, the theme chain and the component library.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from bgpub.render.components import ComponentLibrary
from bgpub.render.themes import Theme

VARIABLES = "variables.json"

Found = dict[str, frozenset[str] | None]  # template name -> variables, None when unknowable


class TemplateVariables:
    """Per templates' fingerprint, the `Found` map a `PageRenderer` fills; saved into `cache_dir`."""

    def __init__(self, cache_dir: Path | None):
        self.cache_dir = cache_dir
        self._found: dict[str, Found] = {}
        self._saved: dict[str, int] = {}

    def clear(self) -> None:
        self._found.clear()
        self._saved.clear()

    def for_templates(self, builtin: str, chain: list[Theme], library: ComponentLibrary) -> Found:
        h = hashlib.blake2b(digest_size=16)
        for part in [
            builtin,
            *(t.fingerprint for t in chain),
            *(f"{k}={library[k].fingerprint}" for k in sorted(library)),
        ]:
            h.update(part.encode() + b"\0")
        key = h.hexdigest()
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = {}
            saved = self._read().get(key)
            if isinstance(saved, dict):
                found.update(
                    {
                        n: None if v is None else frozenset(v)
                        for n, v in saved.items()
                        if v is None or isinstance(v, list)
                    }
                )
            self._saved[key] = len(found)
        return found

    def _read(self) -> dict[str, Any]:
        if self.cache_dir is None:
            return {}
        try:
            data = json.loads((self.cache_dir / VARIABLES).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self) -> None:
        """Writes the maps when a render found something new (a small file, rarely)."""
        if self.cache_dir is None or all(
            len(v) == self._saved.get(k) for k, v in self._found.items()
        ):
            return
        data = {
            k: {n: None if v is None else sorted(v) for n, v in found.items()}
            for k, found in self._found.items()
        }
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / (VARIABLES + ".tmp")
        tmp.write_text(json.dumps(data, sort_keys=True), "utf-8")
        os.replace(tmp, self.cache_dir / VARIABLES)
        self._saved = {k: len(v) for k, v in self._found.items()}
