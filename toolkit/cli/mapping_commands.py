"""Commands: mapping (validate, show)."""

from __future__ import annotations

from toolkit.cli.app import app  # noqa: F401
