"""The live-reload script, added to HTML only as the preview serves it (rendered files never carry it).

The script opens an EventSource on the preview's event stream and reloads the tab when the page it
shows changed, when the site went into or out of an error, or when the server says "everything".
"""

from __future__ import annotations

import json
import re

EVENTS_PATH = "/__bgpub__/events"
MARKER = "data-bgpub-preview"

_SCRIPT = """<script %(marker)s>
(function () {
  var gen = %(generation)d, keys = %(keys)s, inError = %(error)s;
  if (!window.EventSource) { return; }
  var es = new EventSource("%(events)s?since=" + gen);
  var state = window.bgpubPreview = { connected: false, generation: gen };
  es.onopen = function () { state.connected = true; };
  es.onerror = function () { state.connected = false; };
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    if (d.generation <= gen) { return; }
    var hit = d.changed === null || d.error !== inError || inError ||
      keys.some(function (k) { return d.changed.indexOf(k) >= 0; });
    gen = state.generation = d.generation;
    if (hit) { es.close(); window.location.reload(); }
  });
})();
</script>
"""

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def reload_script(generation: int, keys: list[str], error: bool) -> bytes:
    """The script for a page rendered at `generation` that shows the site files `keys`."""
    text = _SCRIPT % {
        "marker": MARKER,
        "generation": generation,
        "keys": json.dumps(keys).replace("<", "\\u003c"),
        "error": "true" if error else "false",
        "events": EVENTS_PATH,
    }
    return text.encode("utf-8")


def inject(html: bytes, script: bytes) -> bytes:
    """Places the script before the last </body>, or at the end of a document that has none."""
    ends = [match.start() for match in _BODY_END.finditer(html)]
    if not ends:
        return html + script
    return html[: ends[-1]] + script + html[ends[-1] :]
