"""Screens: each runs workers that call the session and hands the results to its widgets."""
