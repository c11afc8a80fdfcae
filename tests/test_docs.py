"""The README documents every command and the commands CI and users rely on."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from cib.cli import cli

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _names(group: click.Group, prefix: str = "cib ") -> list[str]:
    out: list[str] = []
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            out += _names(cmd, prefix + name + " ")
        else:
            out.append(prefix + name)
    return out


@pytest.mark.parametrize("command", _names(cli))
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"`{command}" in README, f"{command} is missing from README.md's CLI reference"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README and ci.strip().splitlines()[-1].strip() == "make test"
