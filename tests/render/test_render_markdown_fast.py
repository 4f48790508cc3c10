"""The Markdown fast path gives byte for byte what markdown-it-py gives, or steps aside."""

from __future__ import annotations

import random

import pytest

from bgpub.render.markdown import MarkdownRenderer
from bgpub.render.markdown_fast import fast_markdown

ANY = ["word", "Word", "'q'", '"dq"', "(p)", "a.b", "1.", "2)", "-", "- ", "## ", "# ", "###### ", "#", "*",
       "_", "`", "[a](https://e.com/x)", "[a b](https://e.com/x-y)", "[ a](https://e.com)",
       "[a](http://e.com/(x))", "&amp;", "<b>", "\\*", "!", "~", "|", " ", "  ", "\t", "\n", "\n\n", "\n- ",
       "\n## ", "===", "---", "\n===\n", "\n---\n", "é", "☃", "1. ", "+ ", "> ", "    ", "http://x.y", "[x]",
       "]", "(", ")", "\u00a0", "\u2028", "\x85", "\u3000", "-x", "\n-", "#x", "![a](https://e.com)", "a\n",
       "<script>", "javascript:x", "[x](javascript:y)"]
PLAIN = ["word ", "Word", "'q' ", '"dq"', "(p) ", "a.b", "!", "~", "|", "é", "☃ ", "\n", "\n\n", "\n- ", "\n## ",
         "\n### ", "[a b](https://e.com/x-y)", " x", "x "]


@pytest.fixture(scope="module")
def reference():
    return MarkdownRenderer(fast=False)


@pytest.mark.parametrize("atoms,seed", [(ANY, 1), (ANY, 2), (PLAIN, 3), (PLAIN, 4)])
def test_fast_path_matches_markdown_it(reference, atoms, seed):
    rng = random.Random(seed)
    accepted = 0
    for _ in range(15000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 16)))
        fast = fast_markdown(text)
        if fast is not None:
            accepted += 1
            assert fast == reference.render(text), repr(text)
    assert accepted > 500  # the comparison really ran


@pytest.mark.parametrize("text", ["*em*", "<b>x</b>", "[x](javascript:alert(1))", "a  \nb", "- a\n\n- b",
                                  "![i](https://e.com/i.png)", "&#106;", "    code", "x\n===", "- a\ncont"])
def test_anything_special_goes_to_the_parser(text):
    assert fast_markdown(text) is None


def test_renderer_uses_it_transparently(reference):
    text = "Para one.\n\n## Heading\n\n- a\n- b\n\nSee [docs](https://example.com/docs)."
    assert MarkdownRenderer().render(text) == reference.render(text)
    assert MarkdownRenderer().render(text, "/base") == reference.render(text, "/base")
