"""Building pydantic models from values the program made itself, without validating them again.

``Model(**fields)`` validates every field; for objects the engine or the rule loader has just built
from already-validated parts, that is pure cost: about four times the price of the object for an
``Outcome`` (~30 per enterprise), and at start-up it builds validators that ``zyz calc`` then never
uses. ``model_construct`` is no help: it resolves defaults field by field in Python and is slower
still. Never use this for anything read from a file or a user.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def trusted_model(model: type[M], fields: dict[str, Any]) -> M:
    """An instance holding ``fields`` as they are.

    ``fields`` must give every field of ``model``, in declaration order, each already of its
    declared type, with lists and dicts not shared with anything that may change them; tests
    (tests/test_fast_paths.py) check that validating the results again gives equal models.
    """
    made = object.__new__(model)
    object.__setattr__(made, "__dict__", fields)
    object.__setattr__(made, "__pydantic_fields_set__", set(fields))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made
