"""zhuanyezhen (zyz): 阳泉市专业镇奖补计算器, policy 阳政办发〔2023〕25号.

Scripts use::

    from zhuanyezhen import load_policy, load_profile, calculate
    policy = load_policy()
    result = calculate(load_profile("examples/refractory-leader.yaml"), policy)
    print(result.totals.total)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from zhuanyezhen.api import calculate, load_policy, result_data
    from zhuanyezhen.engine.result import Outcome, Result, Totals
    from zhuanyezhen.errors import InputError, InputProblem
    from zhuanyezhen.policy.models import Policy
    from zhuanyezhen.profile.loader import load_profile, profile_from_data
    from zhuanyezhen.profile.model import Profile

__all__ = [
    "InputError", "InputProblem", "Outcome", "Policy", "Profile", "Result", "Totals",
    "__version__", "calculate", "load_policy", "load_profile", "profile_from_data", "result_data",
]

# Imported on first use, so that ``zyz --help`` or a command that needs no rules does not pay for
# pydantic models it never uses (``from zhuanyezhen import calculate`` works as before).
_EXPORTS = {
    "calculate": ".api", "load_policy": ".api", "result_data": ".api",
    "InputError": ".errors", "InputProblem": ".errors",
    "load_profile": ".profile.loader", "profile_from_data": ".profile.loader",
    "Policy": ".policy.models", "Profile": ".profile.model",
    "Outcome": ".engine.result", "Result": ".engine.result", "Totals": ".engine.result",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
