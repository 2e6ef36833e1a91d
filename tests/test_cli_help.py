"""Every command, argument and option of the CLI has help text (as sqlite-utils checks)."""

from __future__ import annotations

import click
import pytest
import typer

from toolkit.cli import app


def _commands(typer_app: typer.Typer) -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []

    def walk(name: str, command: click.Command) -> None:
        found.append((name, command))
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                walk(f"{name} {sub_name}".strip(), sub)

    walk("", typer.main.get_command(typer_app))
    return found


def missing_help(name: str, command: click.Command) -> list[str]:
    """What lacks help text in one command: the command itself or any parameter."""
    out = [] if (command.help or "").strip() else [f"`toolkit {name}`"]
    for param in command.params:
        if param.name != "help" and not (getattr(param, "help", None) or "").strip():
            out.append(f"`toolkit {name}` {param.name}")
    return out


COMMANDS = _commands(app)


def test_the_cli_has_its_commands() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"validate", "show", "jsonld", "check-jsonld", "init", "reconcile",
            "extract citations", "extract organizations"} <= names


@pytest.mark.parametrize("name,command", COMMANDS, ids=[n or "toolkit" for n, _ in COMMANDS])
def test_command_and_its_parameters_have_help(name: str, command: click.Command) -> None:
    assert missing_help(name, command) == []


def test_the_check_catches_a_command_without_help() -> None:
    bare = typer.Typer()

    @bare.command()
    def first(path: str = typer.Argument(...), flag: bool = typer.Option(False)) -> None:
        pass

    @bare.command()
    def second() -> None:
        """Documented."""

    lacking = [m for name, cmd in _commands(bare) for m in missing_help(name, cmd)]
    assert "`toolkit first`" in lacking
    assert "`toolkit first` path" in lacking and "`toolkit first` flag" in lacking
    assert not any(m.startswith("`toolkit second`") for m in lacking)
