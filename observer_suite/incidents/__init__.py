"""Incidents: what observers report from the field and how coordinators triage it.

Layout: taxonomy (a mission's editable categories), submission and photos (what arrives from
the tablet and the API, idempotent by device UUID), workflow (status rules and history),
listing and export (filters shared by the list, exports and maps), views (coordinator pages),
editing and entry_views (an incident entered for a team from the web; category, severity and
assignee changed, comments without a status change, each an entry of the history).
"""
