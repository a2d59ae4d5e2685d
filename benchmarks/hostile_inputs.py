"""How fast hostile inputs are refused: a billion-laughs file, a 5 MB file, a flood of values.

Run: python benchmarks/hostile_inputs.py   (prints seconds per refusal; not part of the tests)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from zhuanyezhen.errors import InputError
from zhuanyezhen.files.documents import MAX_BYTES
from zhuanyezhen.profile.loader import load_profile

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "bad_inputs"


def timed(label: str, path: Path) -> None:
    start = time.perf_counter()
    try:
        load_profile(path)
        outcome = "accepted?!"
    except InputError as exc:
        outcome = exc.problems[0].message[:40]
    print(f"{label:<22} {time.perf_counter() - start:7.3f} s  {outcome}")


def main() -> None:
    timed("billion laughs (9^9)", CORPUS / "yaml-billion-laughs.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.yaml"
        big.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
        timed("over 5 MB", big)
        flood = Path(tmp) / "flood.yaml"
        honour = b"  - {kind: high_tech, date: 2024-01-01}\n"
        flood.write_bytes(b"name: a\nclaim_year: 2024\nhonours:\n" + honour * 70_000)
        timed("70,000 honours", flood)


if __name__ == "__main__":
    main()
