"""`bgpub collect`: the small ASGI server beside a static site (forms, comments, page views, an API).

Stateless: every process reads and writes the same database, so several can run behind any load
balancer (PostgreSQL); SQLite serves one machine. Imports services and errors only.
"""
