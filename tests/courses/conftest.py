"""Fixtures for the catalog's tests."""

import pytest

from tests.courses.roster_helpers import FIRST_DAY, roster_seat
from tests.courses.stripe_proxy import stripe_proxy  # noqa: F401
from tests.factories import catalog_offering


@pytest.fixture
def offering(instructor):
    """The roster's class: taught by `instructor`, registration closed, under way since
    FIRST_DAY (modules that need another offering define their own)."""
    return catalog_offering(first_day=FIRST_DAY, instructors=[instructor], status="closed")


@pytest.fixture
def seats(offering, learner, other_learner):
    """The learner's and the other learner's confirmed seats in the roster's class."""
    return roster_seat(offering, learner), roster_seat(offering, other_learner)
