"""Async inventory-sync API that talks to supplier services."""
