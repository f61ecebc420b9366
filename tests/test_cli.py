"""The command line: Dutch help, Dutch usage errors, no tracebacks."""

from __future__ import annotations

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
    assert "onbekende keuze" in err and "zelfscan --help" in err


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
