"""Every operation a user can perform, with validation, permission checks and a transaction each.

The CLI, the TUI and the preview server call these functions; none of them builds queries.
Every operation takes the acting `User` first.
"""
