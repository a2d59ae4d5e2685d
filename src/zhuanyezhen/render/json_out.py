"""``--format json`` and ``--format yaml``: the stable output model, serialised.

Both formats carry exactly the same data (``output_model.CalcOutput``); amounts are strings.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from zhuanyezhen.engine.result import Result
from zhuanyezhen.policy.models import Policy
from zhuanyezhen.render.output_model import output_data


def dump_json(data: Any) -> str:
    """Readable UTF-8 JSON (Chinese kept as is), ending with a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dump_yaml(data: Any) -> str:
    """Block-style YAML in document order; strings that look like numbers stay quoted."""
    text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return text


def result_json(result: Result, policy: Policy) -> str:
    return dump_json(output_data(result, policy))


def result_yaml(result: Result, policy: Policy) -> str:
    return dump_yaml(output_data(result, policy))
