"""The in-force window: 2023-05-11 to 2025-12-31 ("自公布之日起30日后施行,有效期至2025年12月31日")."""

from decimal import Decimal

import pytest

from .helpers import only, run


@pytest.mark.parametrize(("date", "claim_year", "status"), [
    ("2023-05-10", 2023, "not_eligible"),   # the day before it took effect
    ("2023-05-11", 2023, "paid"),           # the first day in force
    ("2025-12-31", 2025, "paid"),           # the last day in force
    ("2026-01-01", 2025, "not_eligible"),   # after it expired
])
def test_event_date_edges(policy, date, claim_year, status):
    o = only(run(policy, claim_year=claim_year, honours=[{"kind": "gi_zone", "name": "某示范区", "date": date}]), "gi_zone")
    assert o.status == status
    if status == "not_eligible":
        assert "有效期" in (o.reason or "")


def test_event_later_than_the_claim_year_waits(policy):
    o = only(run(policy, claim_year=2024, honours=[{"kind": "gi_zone", "name": "某示范区", "date": "2025-03-01"}]), "gi_zone")
    assert o.status == "not_eligible" and "以后年度" in (o.reason or "")


@pytest.mark.parametrize("year", [2022, 2026])
def test_claim_year_outside_the_window_pays_nothing_and_says_so(policy, year):
    result = run(policy, claim_year=year, revenue="3亿", highest_revenue_before="0.5亿",
                 honours=[{"kind": "gi_zone", "name": "某示范区", "date": f"{year}-06-01"}],
                 training_programmes=[{"name": "订单班", "kind": "order", "trainees": 10, "days": 10,
                                       "provider": "本企业", "finished": f"{year}-06-01"}])
    assert result.in_force is False
    assert any("不在本政策有效期" in n for n in result.notices)
    assert result.totals.total == 0
    # nothing paid, nothing offered, nothing asked for: every provision is not eligible
    assert {o.status for o in result.outcomes} == {"not_eligible"}


@pytest.mark.parametrize(("year", "paid"), [(2022, False), (2023, True), (2025, True), (2026, False)])
def test_revenue_years_2023_to_2025_count(policy, year, paid):
    result = run(policy, claim_year=year, revenue="1.1亿", highest_revenue_before="0.9亿")
    assert result.totals.exact == (Decimal("100000.00") if paid else 0)
