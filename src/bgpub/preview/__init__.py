"""The preview server: the draft site over HTTP with live reload (no Textual)."""
