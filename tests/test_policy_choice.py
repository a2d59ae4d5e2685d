"""Several policies in one rules folder: --policy, the one in force, and a plain message when none is."""

from __future__ import annotations

import shutil

import pytest

from .conftest import EXAMPLES, RULES
from .scripting_helpers import parse_json, run_zyz

CURRENT = "yangquan-2023-25"
SUCCESSOR = "yangquan-2026-test"


@pytest.fixture(scope="module")
def two_policies(tmp_path_factory):
    """The shipped policy plus a synthetic successor in force 2026-01-01 to 2028-12-31."""
    root = tmp_path_factory.mktemp("rules")
    shutil.copytree(RULES / CURRENT, root / CURRENT)
    shutil.copytree(RULES / CURRENT, root / SUCCESSOR)
    info = root / SUCCESSOR / "policy.yaml"
    text = info.read_text(encoding="utf-8")
    for old, new in ((f"id: {CURRENT}", f"id: {SUCCESSOR}"),
                     ("document_number: 阳政办发〔2023〕25号", "document_number: 阳政办发〔2025〕99号"),
                     ("published: 2023-04-11", "published: 2025-12-01"),
                     ("in_force_from: 2023-05-11", "in_force_from: 2026-01-01"),
                     ("in_force_until: 2025-12-31", "in_force_until: 2028-12-31")):
        assert old in text
        text = text.replace(old, new)
    info.write_text(text, encoding="utf-8")
    return root


def _profile(tmp_path, year: int):
    text = (EXAMPLES / "refractory-leader.yaml").read_text(encoding="utf-8")
    path = tmp_path / f"p{year}.yaml"
    path.write_text(text.replace("claim_year: 2024", f"claim_year: {year}"), encoding="utf-8")
    return str(path)


def test_claim_year_picks_the_policy_in_force(two_policies, tmp_path):
    done = run_zyz("calc", _profile(tmp_path, 2024), "--rules", str(two_policies), "--format", "json")
    assert done.returncode == 0 and done.stderr == b""
    rep = parse_json(done.stdout)["reproducibility"]
    assert (rep["policy_id"], rep["document_number"]) == (CURRENT, "阳政办发〔2023〕25号")

    done = run_zyz("calc", _profile(tmp_path, 2026), "--rules", str(two_policies), "--format", "json")
    assert done.returncode == 0 and done.stderr == b""
    rep = parse_json(done.stdout)["reproducibility"]
    assert (rep["policy_id"], rep["document_number"], rep["policy_in_force"]) == (SUCCESSOR, "阳政办发〔2025〕99号", True)


def test_no_policy_in_force_says_so_plainly(two_policies, tmp_path):
    done = run_zyz("calc", _profile(tmp_path, 2030), "--rules", str(two_policies), "--format", "json")
    assert done.returncode == 0
    err = done.stderr.decode()
    assert "没有在申报年度 2030 有效的政策" in err
    assert f"{CURRENT}(阳政办发〔2023〕25号,有效期 2023-05-11 至 2025-12-31)" in err
    assert f"{SUCCESSOR}(阳政办发〔2025〕99号,有效期 2026-01-01 至 2028-12-31)" in err
    assert "--policy" in err
    out = parse_json(done.stdout)
    assert out["reproducibility"]["policy_in_force"] is False
    assert out["totals"]["total"] == "0.00"   # nothing is payable outside the policy's period
    assert out["notices"]


def test_policy_option_chooses_and_warns_when_out_of_period(two_policies, tmp_path):
    done = run_zyz("calc", _profile(tmp_path, 2024), "--rules", str(two_policies), "--policy", SUCCESSOR,
                   "--format", "json")
    assert done.returncode == 0
    assert "不在其有效期" in done.stderr.decode()
    assert parse_json(done.stdout)["reproducibility"]["policy_id"] == SUCCESSOR


def test_unknown_policy_id_is_bad_input_listing_the_choices(two_policies, tmp_path):
    done = run_zyz("calc", _profile(tmp_path, 2024), "--rules", str(two_policies), "--policy", "nope")
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "没有编号为 nope 的政策" in err and CURRENT in err and SUCCESSOR in err


def test_rules_list_of_a_chosen_policy(two_policies):
    done = run_zyz("rules", "list", "--rules", str(two_policies), "--policy", SUCCESSOR, "--format", "json")
    assert done.returncode == 0
    assert parse_json(done.stdout)["document_number"] == "阳政办发〔2025〕99号"


@pytest.mark.parametrize("command", [
    ["explain"], ["whatif", "--set", "revenue=3亿"], ["report", "-o", "{tmp}/r.html"],
])
def test_every_scoring_command_chooses_the_policy_like_calc(two_policies, tmp_path, command):
    # explain, whatif and report pick the policy for the claim year as calc does, and say so
    # just as plainly when none is in force.
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    done = run_zyz(args[0], _profile(tmp_path, 2030), *args[1:], "--rules", str(two_policies))
    assert done.returncode == 0
    assert "没有在申报年度 2030 有效的政策" in done.stderr.decode()

    done = run_zyz(args[0], _profile(tmp_path, 2024), *args[1:], "--rules", str(two_policies),
                   "--policy", "nope")
    assert done.returncode == 2
    assert "没有编号为 nope 的政策" in done.stderr.decode()
