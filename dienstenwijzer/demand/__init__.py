"""Unmet demand: signals from searches, the resident form and the desk; niches; monitoring."""
