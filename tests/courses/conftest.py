"""Fixtures for the catalog's tests."""

from tests.courses.stripe_proxy import stripe_proxy  # noqa: F401
