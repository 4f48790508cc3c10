"""Pure rendering: a project snapshot in, a site (path -> bytes) out; never touches the database."""
