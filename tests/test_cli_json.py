"""``zyz calc --format json`` run for real through the installed entry point."""

from __future__ import annotations

import json
from decimal import Decimal

import jsonschema
import pytest
import yaml

from zhuanyezhen import __version__
from zhuanyezhen.render.json_schema import SCHEMA_DIR, schema_text

from .conftest import EXAMPLES
from .scripting_helpers import parse_json, run_zyz

EXAMPLE = str(EXAMPLES / "refractory-leader.yaml")


@pytest.fixture(scope="module")
def output():
    done = run_zyz("calc", EXAMPLE, "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    return parse_json(done.stdout)


def _one(output, provision):
    found = [p for p in output["provisions"] if p["provision"] == provision]
    assert len(found) == 1, found
    return found[0]


def test_installed_zyz_json_totals_are_exact_strings(output):
    # Worked by hand in examples/refractory-leader.yaml's header:
    # 确定 36,000 + 180,000 + 500,000 + 500,000 + 100,000 + 100,000 = 1,416,000
    # 最高可达 100,000 (国家标准·主导) + 3,000,000 (10% × 30,000,000) = 3,100,000
    assert output["totals"] == {
        "exact": "1416000.00",
        "up_to": "3100000.00",
        "total": "4516000.00",
        "payable_to_others": "120000.00",   # 30 人 × min(10×150 + 30×100, 4,000) = 120,000
        "land_benefit": "1008000.00",      # 168 × 20,000 − max(70% × 3,360,000, 2,000,000)
    }


def test_json_provisions_carry_amounts_caps_reasons(output, policy):
    tech = _one(output, "tech_project")
    assert (tech["status"], tech["kind"], tech["amount"]) == ("paid", "up_to", "3000000.00")  # 10% × 30,000,000
    digital = _one(output, "digital_project")
    # 10% × 18,000,000 = 1,800,000, the same project as tech_project's 3,000,000: excluded
    assert digital["status"] == "excluded" and digital["amount"] is None
    assert digital["computed"] == "1800000.00" and digital["winner"] == "tech_project"
    assert "智能产线改造" in digital["reason"]
    insurance = _one(output, "new_material_insurance")
    # 20% × 3,000,000 = 600,000 > 单户最高 500,000
    assert insurance["amount"] == "500000.00" and insurance["capped"] is True and "500,000" in insurance["cap"]
    assert insurance["cap_amounts"] == {"per_item": None, "per_enterprise": "500000.00", "per_person": None}
    assert _one(output, "digital_project")["cap_amounts"]["per_item"] == "2000000.00"  # 最高200万元
    order = _one(output, "training_order")
    assert order["amount"] == "120000.00" and order["beneficiary"] == "阳泉职业技术学院"
    assert order["counts_in_total"] is False
    assert [i["name"] for i in order["interpretations"]] == ["training_order"]
    # the question and the chosen option's meaning are the rule file's own texts
    interpretation = policy.interpretations["training_order"]
    assert interpretation.question and interpretation.options["per_trainee"]
    assert order["interpretations"][0] == {
        "name": "training_order", "value": "per_trainee", "default": "per_trainee", "changed": False,
        "question": interpretation.question, "meaning": interpretation.options["per_trainee"]}
    assert all(c["outcome"] == "met" for c in order["conditions"])
    assert order["steps"] and order["quote"]


def test_json_lists_every_provision_with_a_status(output, policy):
    listed = {p["provision"] for p in output["provisions"]}
    # land_price appears under "land" when the profile has plots; every other provision is listed
    assert listed == {p.id for p in policy.provisions}
    assert all(p["status"] and p["status_label"] for p in output["provisions"])


def test_json_records_what_makes_it_reproducible(output, policy):
    rep = output["reproducibility"]
    assert output["format_version"] == "1.0"
    assert rep["document_number"] == "阳政办发〔2023〕25号"
    assert rep["rules_hash"] == policy.rules_hash and len(rep["rules_hash"]) == 64
    assert rep["engine_version"] == __version__
    assert rep["claim_year"] == 2024 and rep["policy_in_force"] is True
    assert rep["assumptions"] == {name: i.default for name, i in policy.interpretations.items()}


def test_json_output_validates_against_shipped_schema(output):
    schema = json.loads((SCHEMA_DIR / "calc-output.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(output)


def test_schema_refuses_a_float_amount(output):
    schema = json.loads((SCHEMA_DIR / "calc-output.schema.json").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(output))
    broken["totals"]["exact"] = 1416000.0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize("name", ["profile", "output"])
def test_shipped_schemas_match_the_models(name):
    # Regenerate with: python -m zhuanyezhen.render.json_schema
    file = {"profile": "profile.schema.json", "output": "calc-output.schema.json"}[name]
    assert (SCHEMA_DIR / file).read_text(encoding="utf-8") == schema_text(name)


def test_schema_profile_command_prints_a_schema_that_accepts_the_example():
    done = run_zyz("schema", "profile")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert schema["properties"]["revenue"]["title"] == "申报年度营业收入(元)"
    profile = yaml.safe_load((EXAMPLES / "refractory-leader.yaml").read_text(encoding="utf-8"))
    # safe_load gives dates as date objects; the schema speaks JSON, so compare JSON's view of it
    jsonschema.validate(json.loads(json.dumps(profile, default=str)), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "claim_year": 2024, "revnue": 1}, schema)


def test_profile_from_stdin():
    done = run_zyz("calc", "-", "--format", "json", stdin=(EXAMPLES / "refractory-leader.yaml").read_bytes())
    assert done.returncode == 0, done.stderr.decode()
    assert parse_json(done.stdout)["totals"]["total"] == "4516000.00"


def test_yaml_format_carries_the_same_data(output):
    done = run_zyz("calc", EXAMPLE, "--format", "yaml")
    assert done.returncode == 0
    data = yaml.safe_load(done.stdout)
    assert data == output
    assert data["totals"]["total"] == "4516000.00"  # still a string in YAML


def test_markdown_format_has_the_totals():
    done = run_zyz("calc", EXAMPLE, "--format", "markdown")
    text = done.stdout.decode()
    assert done.returncode == 0
    assert "| 企业合计 | 4,516,000.00 | 451.60 |" in text
    assert "| （八） | 信息化改造、5G融合应用项目奖励 |" in text


def test_version_and_python_dash_m():
    import subprocess
    import sys

    done = run_zyz("--version")
    assert done.returncode == 0 and done.stdout.decode().strip() == f"zyz {__version__}"
    by_module = subprocess.run([sys.executable, "-m", "zhuanyezhen", "--version"], capture_output=True, check=False)
    assert by_module.stdout.decode().strip() == f"zyz {__version__}"


def test_amounts_in_json_are_decimal_exact(output):
    for p in output["provisions"]:
        for key in ("amount", "computed"):
            if p[key] is not None:
                assert Decimal(p[key]).as_tuple().exponent == -2
