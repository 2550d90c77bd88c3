"""Where the grammar and the shipped rubrics are, installed or in a checkout.

In the repository they sit at the top level (``grammar/``, ``rubrics/``); the
wheel carries them inside the package (``htx_rules/grammar/``, ...).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Path of a shipped file, such as ``resource_path("grammar", "rubric.lark")``."""
    installed = _PACKAGE_DIR.joinpath(*parts)
    if installed.exists():
        return installed
    return _PACKAGE_DIR.parent.joinpath(*parts)


def shipped_rubric(name: str) -> Path:
    """Path of a rubric shipped with htx_rules, such as ``shipped_rubric("2021")``."""
    return resource_path("rubrics", f"{name}.rules")


CACHE_VARIABLE = "HTX_RULES_CACHE_DIR"


def cache_directory() -> Path | None:
    """Where htx_rules may keep caches, or None for no cache.

    ``$HTX_RULES_CACHE_DIR`` if set (set it empty to keep no cache), else
    ``$XDG_CACHE_HOME/htx_rules``, else ``~/.cache/htx_rules``; never inside
    the installed package.  None when the folder cannot be created or written,
    or when another user could have put files in it: it is created private to
    the user, and not used when someone else owns it or may write to it (the
    caches hold pickles, which run code when read).
    """
    configured = os.environ.get(CACHE_VARIABLE)
    try:
        if configured is not None:
            if not configured:
                return None
            folder = Path(configured)
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            folder = Path(base) / "htx_rules"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except (OSError, RuntimeError):
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    return folder if os.access(folder, os.W_OK) else None
