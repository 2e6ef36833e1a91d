"""Commands: extract (see the module of the same stage in toolkit/)."""

from __future__ import annotations

from toolkit.cli.app import app  # noqa: F401
