"""The offline bundle (scripts/offline_bundle.py): built for this Python, it installs with no index and runs.

The bundle is built from the checkout as a clerk's IT helper would on a connected machine, then
installed by the bundle's own installer into a new virtual environment with every pip setting
from this machine switched off, so that only the bundle's wheels can be used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEADER = ROOT / "examples" / "refractory-leader.yaml"
WINDOWS = sys.platform == "win32"


def offline_env() -> dict[str, str]:
    """This environment without pip's settings (no find-links, no extra index, no config file)."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PYTHONIOENCODING"] = "utf-8"
    env["COLUMNS"] = "200"
    return env


def require_package_index(tmp_path: Path) -> None:
    """Skip when pip cannot download from its index (no network): the bundle cannot be built then."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(tmp_path / "probe"),
         "typer"],
        capture_output=True, text=True, timeout=300,
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["(no message)"])[-1]
        pytest.skip(f"PyPI UNREACHABLE, offline bundle not tested: pip download typer failed: {last}")


@pytest.mark.slow
def test_offline_bundle_installs_without_an_index_and_scores_the_leader(tmp_path):
    require_package_index(tmp_path)
    bundle = tmp_path / "bundle"
    built = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "offline_bundle.py"), "--current-only", "-o", str(bundle)],
        capture_output=True, text=True, timeout=900,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    files = {p.name for p in bundle.iterdir()}
    assert {"install.bat", "install.sh", "README.txt"} <= files
    assert any(n.startswith("zhuanyezhen-") and n.endswith(".whl") for n in files), files
    assert not any(n.endswith((".tar.gz", ".zip")) for n in files), "the bundle must hold wheels only"

    venv = tmp_path / "venv"
    env = offline_env() | {"PYTHON": sys.executable}
    installer = ["cmd", "/c", str(bundle / "install.bat"), str(venv)] if WINDOWS else ["sh", str(bundle / "install.sh"),
                                                                                       str(venv)]
    installed = subprocess.run(installer, capture_output=True, text=True, timeout=600, env=env,
                               stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    zyz = venv / ("Scripts/zyz.exe" if WINDOWS else "bin/zyz")
    # Run outside the checkout, so the rules can only come from the installed wheel.
    calc = subprocess.run([str(zyz), "calc", str(LEADER)], capture_output=True, text=True, encoding="utf-8",
                          timeout=120, env=offline_env(), cwd=tmp_path)
    assert calc.returncode == 0, calc.stdout + calc.stderr
    # Hand-worked in the example's header: 企业合计 4,516,000 元.
    total_line = next(line for line in calc.stdout.splitlines() if line.startswith("企业合计"))
    assert "4,516,000.00" in total_line
