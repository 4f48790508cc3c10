"""Plain, typed values every layer shares: no I/O, no database, no templates.

Values here cross layers (services hand them to front ends, the renderer and the preview agree on
them), so they live below everything else; the import-linter layers contract keeps it that way.
"""
