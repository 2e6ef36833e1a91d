"""Command-line interface: a thin layer over the library.

Each ``*_commands`` module parses arguments, calls one library function and prints.
Library modules are imported inside the commands so that ``toolkit --help`` and light
commands start fast (pywikibot in particular is only imported by ``toolkit apply --live``).
``main`` is the one error boundary: a :class:`~toolkit.errors.ToolkitError` becomes a
message on stderr and its exit code; ``--traceback`` shows the Python traceback too.
"""

from __future__ import annotations

import sys

import typer
from click.exceptions import ClickException
from click.exceptions import UsageError as ClickUsageError

from toolkit.cli import (  # noqa: F401  (importing registers the commands)
    extract_commands,
    jsonld_commands,
    mapping_commands,
    proposal_commands,
    review_commands,
)
from toolkit.cli.app import app
from toolkit.errors import ToolkitError, ValidationFailed

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; exit 0 on success, 1 on bad input, 2 on usage errors."""
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    if show_traceback:
        args.remove("--traceback")
    command = typer.main.get_command(app)
    try:
        command.main(args=args, prog_name="toolkit", standalone_mode=False)
    except ValidationFailed as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"toolkit: {len(exc.problems)} problem(s) found", file=sys.stderr)
        sys.exit(exc.exit_code)
    except ToolkitError as exc:
        if show_traceback:
            raise
        print(f"toolkit: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        print("toolkit: aborted", file=sys.stderr)
        sys.exit(130)
    except ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, ClickUsageError) else exc.exit_code)
    except KeyboardInterrupt:
        print("toolkit: interrupted", file=sys.stderr)
        sys.exit(130)
    except OSError as exc:
        # an input or output path the system refuses (a folder as output file, no room,
        # no permission): one line naming the path, not a traceback
        if show_traceback:
            raise
        where = exc.filename2 or exc.filename
        print(f"toolkit: error: {where}: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(1)
    sys.exit(0)
