"""A per-user cache of loaded policies, so ``zyz calc`` does not re-read and re-validate 17 rule files.

A cached policy is used only when its key matches the key computed on this run from:
- the bytes and the name of every file in the policy folder (rules, policy text, anything else),
- the folder's path (the loaded policy records it),
- the source of the modules that read and check rule files (``files``, ``profile``, ``policy`` and the
  top-level modules), the Python and pydantic versions, and this format's version.
So an edited rule file, a new file in the folder or an upgraded zyz can never be served stale: it is a
miss, and the policy is loaded and checked as if there were no cache. Only policies that loaded without
a problem are stored. A missing, corrupt or unwritable cache is a silent miss, never an error.

The cache lives in the user's own cache folder (``%LOCALAPPDATA%\\zyz\\Cache`` on Windows,
``~/Library/Caches/zyz`` on macOS, ``$XDG_CACHE_HOME/zyz`` or ``~/.cache/zyz`` elsewhere), one file per
rules folder. ``ZYZ_CACHE_DIR`` names another folder; ``ZYZ_NO_CACHE=1`` turns the cache off.
It is a pickle, so a cache file is used only if it belongs to the user and no one else may write it:
whoever can write the user's own cache folder can already run code as that user.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path

from zhuanyezhen.policy.models import Policy

FORMAT = b"zyz-policy-cache-1"
_PACKAGE = Path(__file__).resolve().parent.parent
# The code whose behaviour decides what a loaded policy holds and whether rule files are accepted.
_CODE_ROOMS = ("files", "profile", "policy")


def cache_dir() -> Path | None:
    """Where cached policies live, or ``None`` when the cache is turned off."""
    if os.environ.get("ZYZ_NO_CACHE"):
        return None
    explicit = os.environ.get("ZYZ_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "zyz" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "zyz"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache") / "zyz"


def _code_fingerprint() -> bytes:
    digest = hashlib.sha256()
    sources = sorted(_PACKAGE.glob("*.py"))
    for room in _CODE_ROOMS:
        sources += sorted((_PACKAGE / room).glob("*.py"))
    for path in sources:
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def cache_key(folder: Path) -> str | None:
    """The key of the policy in ``folder`` as the files and the code stand now; ``None`` when the cache
    is off or the files cannot all be read (the normal load then says what is wrong)."""
    if cache_dir() is None:
        return None
    try:
        return _key(folder)
    except OSError:
        return None


def _key(folder: Path) -> str:
    import pydantic.version

    digest = hashlib.sha256(FORMAT + b"\0")
    digest.update(f"{sys.version}\0{pydantic.version.VERSION}\0{folder}\0".encode())
    digest.update(_code_fingerprint())
    for path in sorted(folder.iterdir()):
        content = path.read_bytes() if path.is_file() else b"<not a file>"
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def _slot(root: Path, folder: Path) -> Path:
    """One cache file per rules folder, so editing rules replaces the old entry instead of adding one."""
    return root / f"policy-{hashlib.sha256(str(folder).encode()).hexdigest()[:32]}.pickle"


def _own_file(path: Path) -> bool:
    """Whether ``path`` is the user's own and only theirs to change (on Windows the per-user folder
    decides), so a cache folder set to a shared place cannot hand zyz someone else's pickle."""
    if sys.platform == "win32":
        return path.is_file()
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def load_cached(folder: Path, key: str) -> Policy | None:
    """The cached policy for ``folder`` if its key is ``key``; ``None`` on any miss or damage."""
    root = cache_dir()
    if root is None:
        return None
    try:
        slot = _slot(root, folder)
        if not _own_file(slot):
            return None
        data = slot.read_bytes()
        header, _, body = data.partition(b"\n")
        if header != key.encode():
            return None
        policy = pickle.loads(body)
    except Exception:  # a cache file that cannot be read or unpickled is simply not used
        return None
    if not isinstance(policy, Policy) or policy.folder != folder:
        return None
    return policy


def store(policy: Policy, key: str) -> None:
    """Keep ``policy`` under ``key`` for the next run; silently nothing if the cache cannot be written."""
    root = cache_dir()
    if root is None:
        return
    from zhuanyezhen.files.atomic import atomic_output

    with contextlib.suppress(Exception):  # an unwritable cache only costs the next run a normal load
        body = pickle.dumps(policy, protocol=pickle.HIGHEST_PROTOCOL)
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        slot = _slot(root, policy.folder)
        with atomic_output(slot, mode="wb", encoding=None, field="cache") as stream:
            stream.write(key.encode() + b"\n" + body)  # type: ignore[arg-type]
        if sys.platform != "win32":
            slot.chmod(0o600)
