"""zhuanyezhen (zyz): 阳泉市专业镇奖补计算器, policy 阳政办发〔2023〕25号.

Scripts use::

    from zhuanyezhen import load_policy, load_profile, calculate
    policy = load_policy()
    result = calculate(load_profile("examples/refractory-leader.yaml"), policy)
    print(result.totals.total)
"""

__version__ = "0.1.0"

from .api import calculate, load_policy, result_data
from .errors import InputError, InputProblem
from .loading import load_profile, profile_from_data
from .policy import Policy
from .profile import Profile
from .result import Outcome, Result, Totals

__all__ = [
    "InputError", "InputProblem", "Outcome", "Policy", "Profile", "Result", "Totals",
    "__version__", "calculate", "load_policy", "load_profile", "profile_from_data", "result_data",
]
