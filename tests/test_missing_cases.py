"""Cases no test caught before (issue 15): each bug here survived a hand-made mutation.

Every amount is worked out by hand from the policy text in the comment beside it. New tests assert
amounts, statuses, provision ids and exit codes, not the Chinese wording (which is being revised).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zhuanyezhen.batch.reader import SNIFF, detect_encoding
from zhuanyezhen.cli import app
from zhuanyezhen.money import round_fen
from zhuanyezhen.policy.conditions import Unknown, parse

from .helpers import only, outcomes, paid, run


def digital(name: str, investment: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "digital": True, "software_hardware_investment": investment, "date": "2024-05-01", **more}


# -- rounding: half-up to the fen, per award -------------------------------------------------------

def test_half_fen_rounds_up() -> None:
    # 10% × 12,345.65 = 1,234.565 → half-up 1,234.57 (half-even would give 1,234.56)
    assert round_fen(Decimal("0.10") * Decimal("12345.65")) == Decimal("1234.57")
    assert round_fen(Decimal("1234.575")) == Decimal("1234.58")  # half-even would agree here: both
    assert round_fen(Decimal("1234.5649")) == Decimal("1234.56")  # below the half: down
    assert round_fen(Decimal("1234.56")) == Decimal("1234.56")


def test_digital_award_on_a_half_fen_is_rounded_up(policy) -> None:
    # (八) 10% × 12,345.65 = 1,234.565 元 → 1,234.57 元 (up to)
    result = run(policy, projects=[digital("小型信息化", "12345.65")])
    o = only(result, "digital_project")
    assert (o.status, o.amount, o.kind) == ("paid", Decimal("1234.57"), "up_to")
    assert result.totals.up_to == Decimal("1234.57")


# -- three-valued and / or -------------------------------------------------------------------------

FACTS = {"a": None, "yes": True, "no": False}


def _value(source: str) -> Any:
    expression = parse(source, lambda path: path in FACTS)
    return expression.evaluate(FACTS.__getitem__)


@pytest.mark.parametrize(("source", "value"), [
    ("a or yes", True),    # the unknown part comes first; the second decides
    ("yes or a", True),
    ("a and no", False),
    ("no and a", False),
    ("a or no or yes", True),
    ("a and yes and no", False),
])
def test_a_deciding_part_wins_over_an_unknown_one(source: str, value: bool) -> None:
    assert _value(source) is value


@pytest.mark.parametrize("source", ["a or no", "no or a", "a and yes", "yes and a"])
def test_an_undecided_and_or_is_unknown_naming_the_fact(source: str) -> None:
    with pytest.raises(Unknown) as caught:
        _value(source)
    assert caught.value.paths == ("a",)


def test_support_decided_by_the_known_part_of_an_or(policy) -> None:
    # (二) 科技创新券: "属于主导产业或为科技型中小企业"; leading_industry unknown, sci_tech_sme yes
    result = run(policy, leading_industry=None, sci_tech_sme=True)
    voucher = [o for o in result.outcomes if o.kind is None and "leading_industry or sci_tech_sme"
               in [c.test for c in o.conditions]]
    assert voucher, "the 科技创新券 support provision is no longer written as an or"
    assert [o.status for o in voucher] == ["support"]
    both_unknown = run(policy, leading_industry=None, sci_tech_sme=None)
    assert [o.status for o in outcomes(both_unknown, voucher[0].provision)] == ["needs_info"]


# -- an item whose `where` fact is unknown -----------------------------------------------------------

def test_item_with_unknown_where_fact_needs_information(policy) -> None:
    # (八) where "item.digital != False": a project that does not say whether it is digital is asked
    # about, not dropped as "no item applies".
    result = run(policy, projects=[{"name": "未说明项目", "software_hardware_investment": "1000000",
                                    "date": "2024-05-01"}])
    o = only(result, "digital_project")
    assert o.status == "needs_info"
    assert any("projects[0].digital" in m for m in o.missing)
    # the same project said not to be digital is not this provision's item at all
    plain = run(policy, projects=[{"name": "普通项目", "digital": False, "software_hardware_investment": "1000000",
                                   "date": "2024-05-01"}])
    assert [o.status for o in outcomes(plain, "digital_project")] == ["not_eligible"]
    assert only(plain, "digital_project").item is None


# -- history ----------------------------------------------------------------------------------------

def test_history_entry_without_tier_blocks_every_tier(policy) -> None:
    # (十六) revenue 0.8亿 → 3.5亿 would pay the 3亿 tier, 200,000 (test_clause16_targets). The award
    # is one-time per tier; an entry that names no tier cannot say which tier it was, so it blocks
    # every tier of revenue_tier: nothing is paid, in either tier mode.
    history = [{"provision": "revenue_tier", "year": 2023}]
    for mode in ("highest_only", "cumulative"):
        result = run(policy, {"revenue_tier": mode}, revenue="3.5亿", highest_revenue_before="0.8亿",
                     awards_received=history)
        tiers = outcomes(result, "revenue_tier")
        assert sorted(o.tier for o in tiers) == ["1亿", "3亿"]
        assert [o.status for o in tiers] == ["excluded", "excluded"]
        assert result.totals.exact == Decimal("0.00")


def test_history_entry_with_a_tier_blocks_only_that_tier(policy) -> None:
    # 1亿 received in 2023; the jump to 3.5亿 still pays the 3亿 tier: 200,000. Cumulative mode pays
    # 3亿 only (1亿 already received): 200,000 as well.
    history = [{"provision": "revenue_tier", "year": 2023, "tier": "1亿"}]
    for mode in ("highest_only", "cumulative"):
        result = run(policy, {"revenue_tier": mode}, revenue="3.5亿", highest_revenue_before="0.8亿",
                     awards_received=history)
        assert [(o.tier, o.amount) for o in paid(result, "revenue_tier")] == [("3亿", Decimal("200000.00"))]
        assert result.totals.exact == Decimal("200000.00")


def test_history_is_read_past_entries_of_other_provisions(policy) -> None:
    # The 1亿 tier received is listed after an entry of another provision: still found, so the
    # jump 0.9亿 → 1.2亿 pays nothing.
    history = [{"provision": "market_share", "year": 2023, "tier": "前10"},
               {"provision": "revenue_tier", "year": 2023, "tier": "1亿"}]
    result = run(policy, revenue="1.2亿", highest_revenue_before="0.9亿", awards_received=history)
    assert [o.status for o in outcomes(result, "revenue_tier")] == ["excluded"]


def test_history_of_another_provision_blocks_nothing(policy) -> None:
    result = run(policy, revenue="3.5亿", highest_revenue_before="0.8亿",
                 awards_received=[{"provision": "market_share", "year": 2023}])
    assert [(o.tier, o.amount) for o in paid(result, "revenue_tier")] == [("3亿", Decimal("200000.00"))]


# -- one subject, one award: the tie-break ---------------------------------------------------------

def test_one_subject_tie_goes_to_rule_order(policy) -> None:
    # One project, digital and key: (八) 10% × 1,000,000 = 100,000; (九) 10% × 1,000,000 = 100,000.
    # A tie: the earlier rule (clause 八, digital_project) stays paid; tech_project is excluded.
    project = digital("同额项目", "1000000", key_project=True, field="smart_manufacturing",
                      fixed_asset_investment="1000000")
    result = run(policy, projects=[project])
    d, t = only(result, "digital_project"), only(result, "tech_project")
    assert (d.status, d.amount) == ("paid", Decimal("100000.00"))
    assert (t.status, t.winner, t.computed) == ("excluded", "digital_project", Decimal("100000.00"))
    assert result.totals.up_to == Decimal("100000.00")


def test_one_subject_one_fen_more_wins(policy) -> None:
    # (九) 10% × 1,000,000.10 = 100,000.01 > (八) 100,000.00: tech_project stays paid
    project = digital("差一分项目", "1000000", key_project=True, field="smart_manufacturing",
                      fixed_asset_investment="1000000.10")
    result = run(policy, projects=[project])
    assert only(result, "digital_project").status == "excluded"
    assert only(result, "tech_project").amount == Decimal("100000.01")


# -- (七) employed_only counts whole employed trainees ----------------------------------------------

def programme(trainees: int, rate: str, days: int = 10) -> dict[str, Any]:
    return {"name": "订单班", "kind": "order", "trainees": trainees, "days": days, "employment_rate": rate,
            "provider": "本企业", "finished": "2024-06-30"}


@pytest.mark.parametrize(("trainees", "mode", "award"), [
    # 10 days × 150 = 1,500 per trainee; rate 0.87 ≥ 0.80 so the programme qualifies.
    (15, "per_trainee", "22500.00"),   # 15 × 1,500
    (15, "employed_only", "19500.00"),  # 15 × 0.87 = 13.05 → 13 whole trainees (向下取整) × 1,500
    (10, "per_trainee", "15000.00"),   # 10 × 1,500
    (10, "employed_only", "12000.00"),  # 10 × 0.87 = 8.7 → 8 (not 9: rounding would pay 13,500) × 1,500
])
def test_employed_only_rounds_trainees_down(policy, trainees: int, mode: str, award: str) -> None:
    result = run(policy, {"training_order": mode}, training_programmes=[programme(trainees, "0.87")])
    o = only(result, "training_order")
    assert (o.status, o.amount, o.counts_in_total) == ("paid", Decimal(award), True)


# -- batch intake: a UTF-8 file without BOM, longer than the sniffed window --------------------------

def test_encoding_sniff_is_not_fooled_by_a_cut_character() -> None:
    # 2,000 × "阳" is 6,000 bytes; the sniffed window of 4,096 bytes ends inside the 1,366th
    # character (4,096 = 3 × 1,365 + 1), which a decoder told "this is the end" would refuse.
    data = ("阳" * 2000 + "\n").encode("utf-8")
    assert len(data) > SNIFF and data[SNIFF] & 0xC0 == 0x80  # the window really cuts a character
    assert detect_encoding(io.BytesIO(data), "towns.csv") == "utf-8"


def test_batch_reads_a_long_utf8_csv_without_bom(tmp_path: Path) -> None:
    from .test_batch import ENTERPRISES, EXPECTED, LISTS, by_code, read_rows, write_input

    # The three enterprises of test_batch, written as UTF-8 without BOM, the first name padded so
    # that the file is longer than 4 KiB and the 4 KiB window read from its first Chinese byte
    # ends inside a character.
    for pad in range(1500, 1600):
        rows = [dict(e) for e in ENTERPRISES]
        rows[0]["name"] = "阳泉甲" + "耐" * pad + "材有限公司"
        main = write_input(tmp_path, encoding="utf-8", enterprises=rows, lists=LISTS)
        data = main.read_bytes()
        first = next(i for i, b in enumerate(data) if b >= 0x80)
        if len(data) > first + SNIFF and data[first + SNIFF] & 0xC0 == 0x80:
            break
    else:  # pragma: no cover - the loop always finds a padding
        pytest.fail("no padding cuts a character at the window's end")
    assert not data.startswith(b"\xef\xbb\xbf")
    result = CliRunner().invoke(app, ["batch", str(main), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.stderr
    rows_out = by_code(read_rows(tmp_path / "out.csv"))
    assert len(rows_out) == 3
    for code, (exact, up_to, total) in EXPECTED.items():
        r = rows_out[code]
        assert (r["确定金额(元)"], r["最高可达(元)"], r["企业合计(元)"]) == (exact, up_to, total)


# -- batch output: the formula neutraliser on its own (not only behind the whitespace-stripping reader) --

@pytest.mark.parametrize("text", ["=1+1", "+86", "-5", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_every_formula_start_is_neutralised(text: str, tmp_path: Path) -> None:
    from zhuanyezhen.batch.writer import CsvSheet, neutralise

    assert neutralise(text) == "'" + text
    sheet = CsvSheet(tmp_path / "out.csv", ["名称"])
    sheet.write([text])
    sheet.close()
    assert (tmp_path / "out.csv").read_text("utf-8-sig").splitlines()[1].strip('"').startswith("'")


@pytest.mark.parametrize("value", ["阳泉甲", "1,000", 5, Decimal("-5"), None])
def test_plain_values_are_left_alone(value: Any) -> None:
    from zhuanyezhen.batch.writer import neutralise

    assert neutralise(value) == value
