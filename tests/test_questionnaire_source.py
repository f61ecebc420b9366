"""An own questionnaire: `zelfscan vragenlijst kopieer`, --vragenlijst, ZELFSCAN_VRAGENLIJST,
validate saying what it checked, and the notice for an unused ./questionnaires (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.cli import main
from wizard.files.resources import data_dir
from wizard.questionnaire.source import ENV, choose, copy_builtin, unused_local_folder

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "welderbroek.yaml"


@pytest.fixture(autouse=True)
def _no_team_setting(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)


def test_copy_writes_the_whole_questionnaire_and_never_overwrites(tmp_path, capsys):
    target = tmp_path / "eigen"
    assert main(["vragenlijst", "kopieer", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Vragenlijst gekopieerd" in out and f"--vragenlijst {target} validate" in out
    built_in = sorted(p.relative_to(data_dir()) for p in data_dir().rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts)
    copied = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    assert copied == built_in
    for name in ("zelfscan.yaml", "scoring.yaml", "ondersteuning.yaml", "casuswoorden.yaml",
                 "classificatie.yaml", "LEESMIJ.md", "bron/plan-van-aanpak.txt"):
        assert (target / name).read_bytes() == (data_dir() / name).read_bytes()
    (target / "zelfscan.yaml").write_text("eigen werk", encoding="utf-8")
    assert main(["vragenlijst", "kopieer", str(target)]) == 1
    assert "niet leeg" in capsys.readouterr().err
    assert (target / "zelfscan.yaml").read_text(encoding="utf-8") == "eigen werk"


def test_option_environment_and_built_in(tmp_path):
    copy_builtin(tmp_path / "eigen")
    assert choose(None, {}).manifest is None
    by_option = choose(str(tmp_path / "eigen"), {ENV: "/elders"})
    assert by_option.manifest == tmp_path / "eigen" / "zelfscan.yaml"
    assert "via --vragenlijst" in by_option.describe()
    by_env = choose(None, {ENV: str(tmp_path / "eigen")})
    assert by_env.manifest == tmp_path / "eigen" / "zelfscan.yaml"
    assert f"via {ENV}" in by_env.describe()
    assert "ingebouwde vragenlijst" in choose(None, {ENV: "  "}).describe()


@pytest.mark.parametrize("where", ["option", "env"])
def test_a_wrong_folder_is_an_error_not_the_built_in_questionnaire(tmp_path, monkeypatch,
                                                                     capsys, where):
    (tmp_path / "leeg").mkdir()
    args = ["validate"]
    if where == "option":
        args = ["--vragenlijst", str(tmp_path / "leeg"), "validate"]
    else:
        monkeypatch.setenv(ENV, str(tmp_path / "leeg"))
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "is een map zonder zelfscan.yaml" in err and "zelfscan vragenlijst kopieer" in err


def test_validate_always_says_which_questionnaire(tmp_path, monkeypatch, capsys):
    assert main(["validate", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == \
        f"Vragenlijst: de ingebouwde vragenlijst ({data_dir()})"
    copy_builtin(tmp_path / "eigen")
    assert main(["validate", "--vragenlijst", str(tmp_path / "eigen")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Vragenlijst: eigen vragenlijst {tmp_path / 'eigen' / 'zelfscan.yaml'} " \
                     "(via --vragenlijst)"
    assert out[1].startswith(f"OK: {tmp_path / 'eigen' / 'zelfscan.yaml'} — ")
    monkeypatch.setenv(ENV, str(tmp_path / "eigen"))
    assert main(["validate", str(EXAMPLE)]) == 0
    assert f"(via {ENV})" in capsys.readouterr().out.splitlines()[0]


ANSWER = "De burgemeester krijgt twee keer per jaar een korte stand van zaken"


def test_the_own_copy_is_what_counts(tmp_path, monkeypatch, capsys):
    """Open questions of a section marked confidential in the copy (classificatie.yaml, then
    generate): their answers leave the public plan, for a whole team via the variable."""
    own = tmp_path / "eigen"
    copy_builtin(own)
    cls = own / "classificatie.yaml"
    cls.write_text(cls.read_text(encoding="utf-8").replace(
        "vertrouwelijke_open_vragen:\n", "vertrouwelijke_open_vragen:\n  - borgen-van-de-aanpak\n",
        1), encoding="utf-8")
    before = (data_dir() / "aanpak.yaml").read_bytes()
    assert main(["--vragenlijst", str(own), "generate",
                 str(own / "bron" / "plan-van-aanpak.txt")]) == 0
    assert str(own / "aanpak.yaml") in capsys.readouterr().out
    assert (data_dir() / "aanpak.yaml").read_bytes() == before  # the built-in one untouched
    for folder, expect_public in ((tmp_path / "a", True), (tmp_path / "b", False)):
        if not expect_public:
            monkeypatch.setenv(ENV, str(own))
        assert main(["batch", str(EXAMPLE), "-o", str(folder)]) == 0
        plan = (folder / "welderbroek" / "plan.md").read_text(encoding="utf-8")
        annex = (folder / "welderbroek" / "bijlage-vertrouwelijk.md").read_text(encoding="utf-8")
        assert (ANSWER in plan) == expect_public
        assert ANSWER in annex  # the annex holds every answer either way
    capsys.readouterr()


def test_notice_once_when_the_local_folder_differs_and_is_not_used(tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.chdir(tmp_path)
    assert unused_local_folder(choose(None, {})) is None  # no ./questionnaires
    copy_builtin(tmp_path / "questionnaires")
    assert unused_local_folder(choose(None, {})) is None  # identical: nothing to say
    manifest = tmp_path / "questionnaires" / "zelfscan.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "titel: Zelfscan", "titel: Onze Zelfscan"), encoding="utf-8")
    assert main(["validate", str(EXAMPLE)]) == 0
    err = capsys.readouterr().err
    assert err.count("Let op: de map questionnaires/ hier is een aangepaste vragenlijst") == 1
    assert "--vragenlijst questionnaires" in err
    assert main(["--vragenlijst", "questionnaires", "validate", str(EXAMPLE)]) == 0
    assert "Let op" not in capsys.readouterr().err  # in use: nothing to warn about
