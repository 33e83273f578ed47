"""Contracts and cross-cutting runtime shared by every govreports service (never stage logic)."""
