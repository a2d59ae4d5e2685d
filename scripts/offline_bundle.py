"""Build an offline install bundle of zyz: every wheel it needs, plus install.bat and install.sh.

Run it on a machine with network access (Linux: ``scripts/offline-bundle``; Windows:
``py scripts\\offline_bundle.py``), carry the folder (or the ``--zip`` file) to a PC without a
network and run ``install.bat`` (or ``sh install.sh``) there. By default the bundle holds wheels
for Windows (win_amd64) and Linux (manylinux x86_64), CPython 3.11, 3.12 and 3.13; installing a
wheel needs no build backend, so setuptools is not in it.

``pip download --platform`` evaluates environment markers (``colorama; platform_system ==
"Windows"``) for the machine it runs on, not for the target, so after pip's downloads this script
walks each target's dependency tree itself with the target's markers and downloads what pip left
out.
"""

from __future__ import annotations

import argparse
import email.parser
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version
except ImportError:  # a bare Python: pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import canonicalize_name  # type: ignore[no-redef]
    from pip._vendor.packaging.version import Version  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
DIST_NAME = "zhuanyezhen"
PYTHONS = ("3.11", "3.12", "3.13")


@dataclass(frozen=True)
class Platform:
    """A target platform: pip's ``--platform`` tags and the values of its environment markers."""

    name: str
    pip_platforms: tuple[str, ...]
    markers: dict[str, str]


PLATFORMS = {
    "win_amd64": Platform(
        "win_amd64",
        ("win_amd64",),
        {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"},
    ),
    # manylinux_2_17 is glibc 2.17 (CentOS 7 and anything newer); pip also accepts older manylinux tags.
    "manylinux_x86_64": Platform(
        "manylinux_x86_64",
        ("manylinux_2_17_x86_64", "manylinux2014_x86_64"),
        {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"},
    ),
}


@dataclass(frozen=True)
class Target:
    """One platform and Python version; ``platform is None`` means the running interpreter."""

    platform: Platform | None
    python: str

    @property
    def label(self) -> str:
        return f"{self.platform.name if self.platform else 'this machine'}, CPython {self.python}"

    def pip_options(self) -> list[str]:
        if self.platform is None:
            return ["--only-binary=:all:"]
        options = ["--only-binary=:all:", "--implementation", "cp", "--python-version", self.python]
        for tag in self.platform.pip_platforms:
            options += ["--platform", tag]
        return options

    def marker_environment(self) -> dict[str, str] | None:
        """The marker values to evaluate requirements with; None: the running interpreter's own."""
        if self.platform is None:
            return None
        return {
            **self.platform.markers,
            "python_version": self.python,
            "python_full_version": f"{self.python}.0",
            "implementation_name": "cpython",
            "implementation_version": f"{self.python}.0",
            "platform_python_implementation": "CPython",
            "platform_release": "",
            "platform_version": "",
            "extra": "",
        }


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args]
    print("+ " + " ".join(command), flush=True)
    subprocess.run(command, check=True)


def runtime_dependencies() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


# Left out of the copy the wheel is built from: setuptools reuses a build/ folder and would pack
# files since removed from src/ that are still in it.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__",
                                    ".*_cache", ".hypothesis", "out")


def build_own_wheel(out: Path) -> Path:
    """``pip wheel --no-deps .`` from a clean copy of the checkout, into ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        source, wheels = Path(tmp) / "source", Path(tmp) / "wheels"
        shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_COPIED)
        pip("wheel", "--no-deps", "--wheel-dir", str(wheels), str(source))
        (built,) = wheels.glob("*.whl")
        target = out / built.name
        shutil.copy2(built, target)
    return target


def wheel_project(path: Path) -> tuple[str, Version]:
    name, version = path.name.split("-")[:2]
    return canonicalize_name(name), Version(version)


def wheel_requirements(path: Path) -> list[Requirement]:
    with zipfile.ZipFile(path) as whl:
        (metadata,) = [n for n in whl.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        message = email.parser.BytesParser().parsebytes(whl.read(metadata), headersonly=True)
    return [Requirement(line) for line in message.get_all("Requires-Dist") or []]


def missing_requirements(out: Path, own_wheel: Path, target: Target) -> list[Requirement]:
    """Requirements of ``target``'s dependency tree (its markers) that no wheel in ``out`` meets."""
    wheels: dict[str, list[tuple[Version, Path]]] = {}
    for path in out.glob("*.whl"):
        name, version = wheel_project(path)
        wheels.setdefault(name, []).append((version, path))
    environment = target.marker_environment()
    missing: list[Requirement] = []
    seen: set[str] = set()
    queue = wheel_requirements(own_wheel)
    while queue:
        requirement = queue.pop()
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        candidates = sorted(
            (v, p) for v, p in wheels.get(name, []) if requirement.specifier.contains(v, prereleases=True)
        )
        if not candidates:
            missing.append(requirement)
            continue
        queue += wheel_requirements(candidates[-1][1])
    return missing


def download_for(target: Target, requirements: list[str], out: Path) -> None:
    print(f"\n== {target.label}", flush=True)
    pip("download", *target.pip_options(), "--dest", str(out), *requirements)


def write_installers(out: Path, pythons: list[str]) -> None:
    versions = " ".join(reversed(pythons))
    (out / "install.sh").write_text(INSTALL_SH.replace("@VERSIONS@", versions), encoding="utf-8", newline="\n")
    os.chmod(out / "install.sh", 0o755)
    (out / "install.bat").write_text(INSTALL_BAT.replace("@VERSIONS@", versions), encoding="ascii", newline="\r\n")
    # Notepad opens UTF-8 with a BOM correctly.
    (out / "README.txt").write_text(README_TXT, encoding="utf-8-sig", newline="\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "dist" / "zyz-offline",
                        help="bundle folder (default: dist/zyz-offline)")
    parser.add_argument("--current-only", action="store_true",
                        help="only the running Python on this platform (quick; used by the tests)")
    parser.add_argument("--zip", action="store_true", help="also pack the folder as <folder>.zip")
    args = parser.parse_args(argv)

    out: Path = args.output.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.current_only:
        targets = [Target(None, sysconfig.get_python_version())]
    else:
        targets = [Target(p, v) for p in PLATFORMS.values() for v in PYTHONS]

    own_wheel = build_own_wheel(out)
    requirements = runtime_dependencies()
    for target in targets:
        download_for(target, requirements, out)
        # pip judged environment markers for this machine: fill in what the target's markers add.
        for _ in range(10):
            missing = missing_requirements(out, own_wheel, target)
            if not missing:
                break
            print(f"   {target.label} also needs: {', '.join(str(r) for r in missing)}")
            download_for(target, [str(Requirement(f"{r.name}{r.specifier}")) for r in missing], out)
        else:
            print(f"error: could not complete the wheels for {target.label}", file=sys.stderr)
            return 1

    write_installers(out, [t.python for t in targets])
    wheels = sorted(p.name for p in out.glob("*.whl"))
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"\n{len(wheels)} wheels, {size / 1e6:.1f} MB in {out}")
    if args.zip:
        archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
        print(f"zipped: {archive}")
    print("On the offline PC: run install.bat (Windows) or sh install.sh (Linux) from the folder.")
    return 0


INSTALL_SH = r"""#!/bin/sh
# Installs zyz from the wheels in this folder, with no network.
#   sh install.sh [VENV]      (default VENV: $HOME/zyz-venv; PYTHON=/path/to/python3 picks Python)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${1:-"$HOME/zyz-venv"}
python=${PYTHON:-}
if [ -z "$python" ]; then
    for v in @VERSIONS@; do
        if "python$v" -c '' >/dev/null 2>&1; then python="python$v"; break; fi
    done
fi
python=${python:-python3}
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --no-index --find-links "$here" zhuanyezhen
echo
echo "zyz installed in $venv. Try:"
echo "  $venv/bin/zyz --help"
echo "  (or: . $venv/bin/activate, then zyz calc my-company.yaml)"
"""

INSTALL_BAT = r"""@echo off
rem Installs zyz from the wheels in this folder, with no network.
rem   install.bat [VENV]     (default VENV: %USERPROFILE%\zyz-venv; set PYTHON=... to pick Python)
setlocal
set "HERE=%~dp0"
set "VENV=%~1"
if "%VENV%"=="" set "VENV=%USERPROFILE%\zyz-venv"
set "PY=%PYTHON%"
if defined PY goto :have_python
for %%v in (@VERSIONS@) do (
    if not defined PY (
        py -%%v -c "" >nul 2>nul && set "PY=py -%%v"
    )
)
if not defined PY set "PY=python"
:have_python
echo Using Python: %PY%
%PY% -m venv "%VENV%" || goto :fail
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%." zhuanyezhen || goto :fail
echo.
echo zyz installed in %VENV%. Try:
echo   "%VENV%\Scripts\zyz.exe" --help
echo   (or: "%VENV%\Scripts\activate.bat", then zyz calc my-company.yaml)
pause
exit /b 0
:fail
echo.
echo INSTALL FAILED. This bundle needs 64-bit Python @VERSIONS@ (python.org installer).
pause
exit /b 1
"""

README_TXT = """zyz 离线安装包 (offline install bundle)

Windows: 双击 install.bat (或在命令行运行 install.bat [安装目录]).
         需要 64 位 Python 3.11、3.12 或 3.13 (python.org 安装包)。
         默认安装到 %USERPROFILE%\\zyz-venv,之后运行:
         %USERPROFILE%\\zyz-venv\\Scripts\\zyz.exe calc 企业资料.yaml
Linux:   sh install.sh [安装目录]   (默认 $HOME/zyz-venv)

安装不需要网络:pip 只使用本文件夹中的 wheel 文件。
"""


if __name__ == "__main__":
    sys.exit(main())
