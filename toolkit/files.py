"""Files in and out: input read with located errors, output written atomically.

A file that cannot be read, is not UTF-8 or is not JSON becomes an
:class:`~toolkit.errors.InputError` naming the file (and line and column where there is
one), never a traceback; an output file is either written whole or left as it was.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from toolkit.errors import InputError, Problem


def read_text(path: str | os.PathLike[str], what: str = "file") -> str:
    """The UTF-8 text of ``path``; ``what`` names the file in the error ("proposal")."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(Problem(str(path), 0, 0, f"cannot read {what}: "
                                 f"{exc.strerror or exc}", "file")) from exc
    return decode_utf8(raw, str(path))


def decode_utf8(raw: bytes, file: str) -> str:
    """``raw`` as UTF-8 text; a bad byte is an InputError at its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(Problem(file, line, col, f"not UTF-8 text (byte "
                                 f"0x{raw[exc.start]:02x}: {exc.reason})", "encoding")) from exc


def parse_json(text: str, file: str) -> Any:
    """The JSON value in ``text``; a syntax error is an InputError at its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(Problem(file, exc.lineno, exc.colno, exc.msg, "json")) from exc


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would have given it.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~current_umask()
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
