"""Missions: the scope everything else belongs to."""
