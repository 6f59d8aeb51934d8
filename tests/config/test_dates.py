"""The provider's calendar (config.dates): a moment's date, month and written form are taken
in the TIME_ZONE setting's zone, whatever zone the moment carries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.dates import (
    provider_date,
    provider_day_start,
    provider_days,
    provider_moment,
    provider_month,
    provider_today,
)

LATE_IN_NEW_YORK = dt.datetime(2026, 12, 1, 4, 30, tzinfo=dt.UTC)  # 23:30 on 30 November


def test_it_dates_a_late_evening_moment_on_the_providers_day():
    assert provider_date(LATE_IN_NEW_YORK) == dt.date(2026, 11, 30)
    assert provider_month(LATE_IN_NEW_YORK) == dt.date(2026, 11, 1)


def test_it_writes_a_moment_with_the_providers_offset_summer_and_winter():
    assert provider_moment(LATE_IN_NEW_YORK).isoformat() == "2026-11-30T23:30:00-05:00"
    july = dt.datetime(2026, 7, 1, 3, 0, tzinfo=dt.UTC)
    assert provider_moment(july).isoformat() == "2026-06-30T23:00:00-04:00"


def test_it_follows_the_time_zone_setting(settings):
    settings.TIME_ZONE = "America/Los_Angeles"

    assert provider_date(dt.datetime(2026, 12, 1, 7, 30, tzinfo=dt.UTC)) == dt.date(2026, 11, 30)


def test_it_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="naive"):
        provider_date(dt.datetime(2026, 11, 30, 23, 30))


@time_machine.travel(LATE_IN_NEW_YORK, tick=False)
def test_today_is_the_providers_today():
    assert provider_today() == dt.date(2026, 11, 30)


def test_a_day_range_runs_from_midnight_to_midnight_on_the_providers_clock():
    new_york = ZoneInfo("America/New_York")

    lookups = provider_days(dt.date(2026, 11, 1), dt.date(2026, 11, 30), field="paid_at")

    assert lookups == {
        "paid_at__gte": dt.datetime(2026, 11, 1, tzinfo=new_york),
        "paid_at__lt": dt.datetime(2026, 12, 1, tzinfo=new_york),
    }
    assert provider_day_start(dt.date(2026, 11, 1)).utcoffset() == dt.timedelta(hours=-4)
    assert provider_days(None, None, field="paid_at") == {}
