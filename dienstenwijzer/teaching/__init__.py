"""Regisseurs teach the search the words residents use: per zorggebied, audited, live in 1 s."""
