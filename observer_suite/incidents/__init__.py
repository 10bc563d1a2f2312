"""Incidents: what observers report from the field and how coordinators triage it.

Layout: taxonomy (a mission's editable categories), submission and photos (what arrives from
the tablet and the API, idempotent by device UUID), workflow (status rules and history),
listing and export (filters shared by the list, exports and maps), views (coordinator pages).
"""
