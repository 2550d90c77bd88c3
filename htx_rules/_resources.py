"""Where the grammar and the shipped rubrics are, installed or in a checkout.

In the repository they sit at the top level (``grammar/``, ``rubrics/``); the
wheel carries them inside the package (``htx_rules/grammar/``, ...).
"""

from __future__ import annotations

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
