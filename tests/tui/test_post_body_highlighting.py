"""The post body is edited with Markdown highlighting (textual[syntax] is a dependency, not an accident)."""

from __future__ import annotations

from bgpub.tui.screens.post_editor import body_area


def test_the_post_body_is_highlighted_as_markdown():
    assert body_area().language == "markdown"
