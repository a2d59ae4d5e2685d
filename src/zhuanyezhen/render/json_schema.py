"""JSON Schemas other systems use: of the profile they send, and of the result they receive.

Both are generated from the pydantic models; the copies shipped in ``schemas/`` are kept equal
to these by a test (regenerate with ``python -m zhuanyezhen.render.json_schema``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from zhuanyezhen.profile.model import Profile
from zhuanyezhen.render.output_model import output_schema

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
PROFILE_SCHEMA_ID = "https://zhuanyezhen.invalid/schemas/profile.schema.json"


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a profile (what ``zyz calc`` reads), in validation mode."""
    schema = Profile.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": PROFILE_SCHEMA_ID, **schema}


SCHEMAS = {
    "profile": ("profile.schema.json", profile_schema),
    "output": ("calc-output.schema.json", output_schema),
}


def schema_text(name: str) -> str:
    return json.dumps(SCHEMAS[name][1](), ensure_ascii=False, indent=2) + "\n"


def write_all() -> None:  # pragma: no cover - a maintainer's tool
    for name, (file, _) in SCHEMAS.items():
        (SCHEMA_DIR / file).write_text(schema_text(name), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    write_all()
