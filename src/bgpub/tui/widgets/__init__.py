"""Widgets: get plain data from their screen, post messages up, never call services."""
