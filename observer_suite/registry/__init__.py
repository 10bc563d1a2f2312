"""Browsing a mission's areas, polling stations and observers."""
