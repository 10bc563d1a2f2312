"""Login, roles and the permission checks every view and query goes through."""
