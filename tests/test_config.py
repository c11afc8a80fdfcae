"""One parameter, one default: config validation, TOML, CLI flags."""

from __future__ import annotations

import dataclasses

import click
import pytest

from cib.cli import cli
from cib.config import DetectParams, ScanConfig
from cib.errors import ConfigError


def test_defaults_are_valid_and_serialisable() -> None:
    d = ScanConfig().to_dict()
    assert d["detect"]["window_s"] == DetectParams().window_s
    assert set(d) == {"ingest", "embed", "detect", "engine", "network", "report", "review", "track"}


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"window_s": 0}, "window_s must be an int in [1, 604800]; got 0"),
        ({"min_z": "high"}, "min_z must be a float"),
        ({"signals": ["repost", "telepathy"]}, "signals entries must be among"),
        ({"min_coactions": True}, "min_coactions must be an int"),
    ],
)
def test_bad_values_name_parameter_range_and_value(kwargs: dict, needle: str) -> None:
    with pytest.raises(ConfigError, match=None) as exc:
        DetectParams(**kwargs)
    assert needle in str(exc.value)


def test_toml_then_flags(tmp_path) -> None:
    p = tmp_path / "cib.toml"
    p.write_text("[detect]\nwindow_s = 30\nmin_coactions = 4\n[report]\nflag_threshold = 0.7\n")
    cfg = ScanConfig.load(p).override(detect={"window_s": 10, "min_coactions": None})
    assert cfg.detect.window_s == 10  # flag wins
    assert cfg.detect.min_coactions == 4  # TOML kept where the flag is unset
    assert cfg.report.flag_threshold == 0.7


def test_unknown_toml_keys_are_errors(tmp_path) -> None:
    p = tmp_path / "cib.toml"
    p.write_text("[detect]\nwindow = 30\n")
    with pytest.raises(ConfigError, match="unknown parameter"):
        ScanConfig.load(p)
    p.write_text("[detekt]\nwindow_s = 30\n")
    with pytest.raises(ConfigError, match="unknown config section"):
        ScanConfig.load(p)


def _commands(group: click.Group, prefix: str = ""):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + name + " ")
        yield prefix + name, cmd


@pytest.mark.parametrize(("name", "cmd"), list(_commands(cli)))
def test_every_command_has_help_and_no_option_defaults(name: str, cmd: click.Command) -> None:
    assert cmd.help, f"{name} lacks help text"
    for p in cmd.params:
        if isinstance(p, click.Option) and not p.is_flag and p.name not in {"help"}:
            unset = p.default is None or type(p.default).__name__ == "Sentinel"
            assert unset, f"{name} --{p.name} has a default of its own: {p.default!r}"
            assert p.help, f"{name} --{p.name} lacks help"


def test_flag_help_comes_from_the_field_docs() -> None:
    scan = cli.commands["scan"]
    opt = next(p for p in scan.params if p.name == "window_s")
    doc = next(f for f in dataclasses.fields(DetectParams) if f.name == "window_s")
    assert doc.metadata["doc"] in opt.help


def test_engine_local_and_its_old_name() -> None:
    assert ScanConfig().engine.engine == "local"
    assert ScanConfig.from_dict({"engine": {"engine": "duckdb"}}).engine.engine == "local"
    assert ScanConfig().override(engine={"engine": "duckdb"}).engine.engine == "local"
    with pytest.raises(ConfigError, match=r"engine must be one of \['local', 'spark'\]"):
        ScanConfig.from_dict({"engine": {"engine": "pandas"}})
    scan = cli.commands["scan"]
    opt = next(p for p in scan.params if p.name == "engine")
    assert set(opt.type.choices) == {"local", "spark", "duckdb"}


@pytest.mark.parametrize(("section", "name"), [("detect", "semantic_k"), ("embed", "min_chars")])
def test_removed_parameters_warn_and_are_ignored(tmp_path, section: str, name: str) -> None:
    p = tmp_path / "cib.toml"
    p.write_text(f"[{section}]\n{name} = 10\n")
    needle = rf"{section}\.{name} is no longer a parameter and is ignored"
    with pytest.warns(FutureWarning, match=needle):
        cfg = ScanConfig.load(p)
    assert name not in cfg.to_dict()[section]
    assert cfg == ScanConfig()


@pytest.mark.parametrize(
    ("old", "new", "value"),
    [("slow_window_s", "drip_window_s", 7200), ("slow_signals", "drip_signals", ["url"])],
)
def test_renamed_parameters_warn_and_go_to_their_new_names(
    tmp_path, old: str, new: str, value: object
) -> None:
    p = tmp_path / "cib.toml"
    shown = f'["{value[0]}"]' if isinstance(value, list) else value
    p.write_text(f"[detect]\n{old} = {shown}\n")
    needle = rf"detect\.{old} is renamed detect\.{new}"
    with pytest.warns(FutureWarning, match=needle):
        cfg = ScanConfig.load(p)
    assert getattr(cfg.detect, new) == value and old not in cfg.to_dict()["detect"]
    with pytest.warns(FutureWarning, match=needle):
        assert ScanConfig().override(detect={old: value}) == cfg
    with pytest.raises(ConfigError, match=rf"set only {new}"):
        ScanConfig.from_dict({"detect": {old: value, new: value}})


def test_old_slow_window_flag_still_works(tmp_path) -> None:
    from cib.cli import _config

    with pytest.warns(FutureWarning, match=r"--drip-window-s"):
        cfg = _config(None, slow_window_s=7200)
    assert cfg.detect.drip_window_s == 7200
    assert _config(None, drip_window_s=7200) == cfg
