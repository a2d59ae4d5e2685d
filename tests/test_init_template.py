"""``zyz init``: every field commented; the template, filled in, computes hand-worked awards."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from zhuanyezhen import calculate, profile_from_data
from zhuanyezhen.files.documents import load_yaml_text
from zhuanyezhen.profile.model import Profile
from zhuanyezhen.render.profile_template import profile_template

from .scripting_helpers import run_zyz

KEY = re.compile(r"^([a-z_]+): (~|\[\]|.*)$")
ITEM_KEY = re.compile(r"^(\s*(?:- )?)([a-z_]+): ~$")


def fill(template: str, scalars: dict[str, Any], blocks: dict[str, Any]) -> str:
    """Fill the template as its instructions say: set values; for a list or group, delete the
    ``key: []`` line and uncomment the example block below it (once per item)."""
    lines = template.splitlines()
    out: list[str] = []
    used: set[str] = set()
    i = 0
    while i < len(lines):
        m = KEY.match(lines[i])
        if m and m.group(1) in blocks:
            key = m.group(1)
            used.add(key)
            i += 1
            block = []
            while i < len(lines) and lines[i].startswith("# "):
                block.append(lines[i][2:])
                i += 1
            assert block[0] == f"{key}:", block[:1]
            out.append(block[0])
            items = blocks[key] if isinstance(blocks[key], list) else [blocks[key]]
            for item in items:
                left = dict(item)
                for line in block[1:]:
                    im = ITEM_KEY.match(line)
                    if im and im.group(2) in left:
                        line = f"{im.group(1)}{im.group(2)}: {json.dumps(left.pop(im.group(2)), ensure_ascii=False)}"
                    out.append(line)
                assert not left, f"fields missing from the {key} example: {left}"
            continue
        if m and m.group(1) in scalars:
            used.add(m.group(1))
            out.append(f"{m.group(1)}: {json.dumps(scalars[m.group(1)], ensure_ascii=False)}")
        else:
            out.append(lines[i])
        i += 1
    assert used == set(scalars) | set(blocks), (set(scalars) | set(blocks)) - used
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def template(policy) -> str:
    return profile_template(policy)


def test_every_field_has_a_chinese_comment_with_unit_meaning_and_use(template):
    from zhuanyezhen.profile.model import ITEM_MODELS, OnJobTraining, OtherPolicyAward, ReceivedAward

    models: list[type[BaseModel]] = [Profile, *ITEM_MODELS.values(), OnJobTraining, ReceivedAward, OtherPolicyAward]
    lines = template.splitlines()
    for model in models:
        for name, info in model.model_fields.items():
            # the key line, preceded by: title【单位:…】, 含义:…, 用于:…
            found = [i for i, line in enumerate(lines) if re.match(rf"^(# )?\s*(- )?{name}: ", line)]
            assert found, name
            for i in found:
                head, meaning, use = lines[i - 3], lines[i - 2], lines[i - 1]
                if info.title and head.lstrip("# ").startswith(info.title):
                    assert "【单位:" in head and "含义:" in meaning and "用于:" in use, (name, head)
                    break
            else:
                raise AssertionError(f"no comment for {model.__name__}.{name}")


def test_comment_names_the_clauses_from_the_rules(template):
    # revenue is read only by clause (十六) revenue_tier; equipment_investment by (九) rd_equipment
    assert "#   用于:条款十六(revenue_tier)\nrevenue: ~" in template
    assert "#   用于:条款九(rd_equipment)\nequipment_investment: ~" in template
    assert "申报年度营业收入(元)【单位:元(可写 2.8亿、950万 等);选填,不知道就留空】" in template


def test_template_as_written_loads_and_computes_nothing_unknown_as_zero(template, policy):
    data, lines = load_yaml_text(template, "template.yaml")
    result = calculate(profile_from_data(data, "template.yaml", lines), policy)
    assert result.totals.total == Decimal(0)
    assert result.by_status("needs_info")  # unknown facts are asked for, not read as "no"


def test_filled_template_computes_hand_worked_awards(template, policy):
    text = fill(
        template,
        scalars={"name": "平定砂器示范有限公司", "county": "平定县", "town": "砂陶", "leading_industry": True,
                 "backbone": True, "size": "small", "claim_year": 2025, "revenue": "1.2亿",
                 "highest_revenue_before": 90000000},
        blocks={
            "honours": [{"kind": "laozihao_china", "date": "2025-03-01", "name": "平定砂器"}],
            "standards": [{"name": "砂器行业标准", "level": "industry", "role": "participate", "date": "2024-11-20"}],
            "projects": [{"name": "窑炉数字化", "digital": True, "key_project": False,
                          "software_hardware_investment": "500万", "date": "2025-06-30"}],
            "onjob_training": {"trainees": 50, "finished": "2025-05-20"},
            "training_programmes": [{"name": "砂器学徒班", "kind": "project", "trainees": 10, "days": 12,
                                     "employment_rate": "90%", "provider": "本企业", "finished": "2025-08-01"}],
        },
    )
    data, lines = load_yaml_text(text, "filled.yaml")
    result = calculate(profile_from_data(data, "filled.yaml", lines), policy)
    paid = {o.provision: o.amount for o in result.by_status("paid")}
    assert paid == {
        "laozihao_china": Decimal("100000.00"),   # (五) 新入选中华老字号 10万元
        "standard": Decimal("20000.00"),          # (三) 行业标准·参与 最高 2万元
        "training_onjob": Decimal("15000.00"),    # (七) 300 元 × 50 人
        "training_order": Decimal("17000.00"),    # (七) 每人 10×150 + 2×100 = 1,700 ≤ 4,000;× 10 人;本企业承担
        "digital_project": Decimal("500000.00"),  # (八) 10% × 5,000,000 = 500,000 ≤ 200万
        "revenue_tier": Decimal("100000.00"),     # (十六) 1.2亿,以往 0.9亿:首次达到1亿档 10万元
    }
    # 确定 100,000 + 15,000 + 17,000 + 100,000 = 232,000;最高可达 20,000 + 500,000 = 520,000
    assert result.totals.exact == Decimal("232000.00")
    assert result.totals.up_to == Decimal("520000.00")
    assert result.totals.total == Decimal("752000.00")
    assert result.totals.payable_to_others == Decimal(0)


def test_init_writes_file_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "企业.yaml"
    done = run_zyz("init", str(target))
    assert done.returncode == 0 and done.stdout == b""
    assert target.read_text(encoding="utf-8").startswith("# zyz 企业档案模板")
    again = run_zyz("init", str(target))
    assert again.returncode == 2 and "--force" in again.stderr.decode()
    assert run_zyz("init", str(target), "--force").returncode == 0
    checked = run_zyz("validate", str(target))
    assert checked.returncode == 0, checked.stderr.decode()


def test_init_without_file_prints_template():
    done = run_zyz("init")
    assert done.returncode == 0
    assert "name: 请填写企业全称" in done.stdout.decode()
