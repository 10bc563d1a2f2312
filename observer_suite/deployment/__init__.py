"""Deployment planning: which team covers which stations, in which order, on election day."""
