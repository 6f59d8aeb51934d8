"""Fixtures for the concurrency tests."""

from tests.courses.stripe_proxy import stripe_proxy  # noqa: F401
