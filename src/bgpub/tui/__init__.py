"""The terminal editor (Textual); the only package that imports Textual."""
