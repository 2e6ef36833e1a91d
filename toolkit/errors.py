"""The toolkit's one exception tree.

::

    ToolkitError                  base; the CLI turns it into a message and an exit code
    ├── UsageError                bad arguments or options (exit 2)
    ├── InputError                one located problem in an input file (exit 1)
    ├── ValidationFailed          many located problems, all collected (exit 1)
    ├── WikibaseError             the wiki API failed or answered an error
    │   ├── MaxlagExhausted       retries on maxlag / 429 / 5xx / timeouts ran out
    │   ├── EditConflict          the entity changed since its base revision
    │   └── PageError             a wiki page that cannot be drafted from (missing, a
    │                             disambiguation page, the wrong language, API unreachable)
    ├── ReviewError               a decision that may not be taken (e.g. CRITICAL finding)
    └── ApplyError                a live run that cannot go on safely
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem: ``file:line:col: message [rule]``.

    ``line`` and ``col`` are 1-based; 0 means unknown. ``pointer`` is a JSON pointer
    into the document when there is one.
    """

    file: str
    line: int
    col: int
    message: str
    rule: str
    pointer: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        elif self.pointer:
            where += f":{self.pointer}"
        return f"{where}: {self.message} [{self.rule}]"


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose."""

    exit_code = 1


class UsageError(ToolkitError):
    """The command was called wrongly."""

    exit_code = 2


class InputError(ToolkitError):
    """One located problem in an input file."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class ValidationFailed(ToolkitError):
    """Several located problems, collected rather than stopping at the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s)")


class WikibaseError(ToolkitError):
    """The wiki's API failed or answered with an error."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class MaxlagExhausted(WikibaseError):
    """Retries on maxlag, 429, 5xx or timeouts ran out."""


class EditConflict(WikibaseError):
    """The entity changed since the base revision of the proposal."""


class PageError(WikibaseError):
    """A wiki page that cannot be used: missing, invalid, disambiguation, wrong language."""


class ReviewError(ToolkitError):
    """A review decision that is not allowed."""


class ApplyError(ToolkitError):
    """A live run that cannot go on safely."""
