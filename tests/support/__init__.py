"""Test support: real servers for integration and end-to-end tests."""
