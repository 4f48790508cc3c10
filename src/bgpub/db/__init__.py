"""The only package that defines tables and talks to the database driver."""

from bgpub.db.connection import database, init_database, is_postgres

__all__ = ["database", "init_database", "is_postgres"]
