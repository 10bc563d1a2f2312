"""Shared primitives every capability may use; util imports no capability package."""
