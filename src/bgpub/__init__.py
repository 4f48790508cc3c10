"""bgpub: build websites in the terminal, publish them as versioned static files."""

__version__ = "0.1.0"
