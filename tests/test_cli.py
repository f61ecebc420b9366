"""The command line: Dutch help, Dutch usage errors, no tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from wizard.cli import main


def test_help_is_dutch(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Gebruik: zelfscan")
    for word in ("Opdrachten", "start", "batch", "blank", "generate", "validate"):
        assert word in out
    assert "usage" not in out and "show this help" not in out


def test_unknown_command_is_a_dutch_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["vliegen"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "onbekende opdracht 'vliegen'" in err and "zelfscan --help" in err
    assert "Bedoelde u" not in err  # nothing near enough to suggest


@pytest.mark.parametrize("typed, meant", [("strat", "start"), ("resum", "resume"),
                                           ("genrate", "generate"), ("batsh", "batch")])
def test_mistyped_command_gets_a_suggestion(capsys, typed, meant):
    with pytest.raises(SystemExit) as exc:
        main([typed])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"onbekende opdracht '{typed}'" in err and f"Bedoelde u '{meant}'?" in err
    assert "argument" not in err and "invalid" not in err


def test_mistyped_option_value_gets_a_suggestion(capsys):
    with pytest.raises(SystemExit):
        main(["start", "--rol", "ambtnaar"])
    err = capsys.readouterr().err
    assert "bij --rol: onbekende keuze: 'ambtnaar'" in err and "Bedoelde u 'ambtenaar'?" in err


def test_missing_argument_names_it(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["batch"])
    assert exc.value.code == 2
    assert "deze argumenten ontbreken: ANTWOORDEN" in capsys.readouterr().err


def test_internal_error_shows_no_traceback(monkeypatch, capsys):
    from wizard import cli

    def boom(args):
        raise RuntimeError("kapot")

    parser = cli.build_parser()
    args = parser.parse_args(["validate"])
    args.func = boom
    monkeypatch.setattr(cli, "build_parser", lambda: _Fixed(parser, args))
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "interne fout" in err and "foutverslag" in err


class _Fixed:
    def __init__(self, parser, args):
        self.parser, self.args = parser, args

    def parse_args(self, argv):
        return self.args


def test_python_dash_m_wizard_works_from_another_directory(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "--version"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith("zelfscan ")


_ENGLISH = re.compile(r"\b(found|expected|while|scanning|character|mapping|stream|token|"
                      r"block|escape|but|could|not|allowed|invalid|choice|argument)\b")


@pytest.mark.parametrize("line", ["a: @x", 'a: "\\q"', "a: [1, 2", "a: 'x' y", "a: `x",
                                  "a: 'x", "a: b: c", "a:\n\t- b"])
def test_broken_yaml_is_reported_in_dutch_only(tmp_path, capsys, line):
    path = tmp_path / "a.yaml"
    path.write_text(f"vragenlijst: zelfscan\nversie: 1\nantwoorden:\n  {line}\n", "utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "geen geldige YAML" in err and f"{path}:" in err
    assert not _ENGLISH.search(err.split("geen geldige YAML", 1)[1]), err
