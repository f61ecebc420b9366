"""wizard.questionnaire.generate: TemplateDoc -> aanpak.yaml, and `zelfscan generate [--check]`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from wizard.cli import main
from wizard.files.resources import data_dir
from wizard.files.yamlio import parse_yaml
from wizard.questionnaire.generate import build_module, distinct_slugs, render_module, sentence_case
from wizard.questionnaire.template import PLACEHOLDER, read_template

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "template"))
import make_docx
import variants as V
from test_template import SEED_QUESTIONS

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)?$")


@pytest.fixture(scope="module")
def module():  # type: ignore[no-untyped-def]
    # The template's own statements: the curated overlay (stellingen.yaml) is tested apart.
    return build_module(read_template(V.SEED), edits={})


def module_from(tmp_path: Path, text: str) -> dict:
    p = tmp_path / "sjabloon.txt"
    p.write_text(text, encoding="utf-8")
    return build_module(read_template(p), edits={})


def components(mod: dict) -> list[dict]:
    return [s for s in mod["secties"] if s["soort"] == "component"]


def all_ids(mod: dict) -> list[str]:
    return [s["id"] for s in mod["secties"]] + [
        q["id"] for s in mod["secties"] for q in s["vragen"]]


# --- the seed ------------------------------------------------------------------------------


def test_seed_components_and_open_questions(module) -> None:  # type: ignore[no-untyped-def]
    comps = components(module)
    assert len(comps) == 11
    assert {s["wat"]: len([q for q in s["vragen"] if q["soort"] == "tekst"])
            for s in comps} == SEED_QUESTIONS
    borgen = comps[0]
    assert borgen["id"] == "borgen-van-de-aanpak" and borgen["titel"] == "Borgen van de aanpak"
    assert [q["id"] for q in borgen["vragen"] if q["soort"] == "tekst"] == [
        "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken",
        "borgen-van-de-aanpak.hoe-betrek-ik-het-college",
        "borgen-van-de-aanpak.welk-budget-heb-ik-beschikbaar",
    ]
    for q in borgen["vragen"]:
        if q["soort"] == "tekst":
            assert q["toelichting"] == borgen["hoe"]
            assert q["bron"].endswith("activiteitenrij 1 (BORGEN VAN DE AANPAK), "
                                      "kolom Lokale uitwerking")


def test_seed_titles_keep_acronyms(module) -> None:  # type: ignore[no-untyped-def]
    titles = [s["titel"] for s in components(module)]
    assert titles == [
        "Borgen van de aanpak", "Aandachtsfunctionaris / adviseur radicalisering",
        "Lokaal beeld", "Samenwerking", "Preventieve maatregelen", "Signaleren en melden",
        "Persoonsgerichte aanpak (PGA-R)", "Deskundigheidsbevordering",
        "Bondgenotennetwerk / sleutelfigurennetwerk", "Handhaving", "Externe ondersteuning",
    ]
    ids = [s["id"] for s in components(module)]
    assert "persoonsgerichte-aanpak-pga-r" in ids
    assert "bondgenotennetwerk-sleutelfigurennetwerk" in ids


def test_sentence_case_rules() -> None:
    assert sentence_case("VEILIGHEIDSALLIANTIE (VAR) EN ZVH", "de ZVH helpt") == (
        "Veiligheidsalliantie (VAR) en ZVH")
    assert sentence_case("PGA R", "") == "Pga r"  # no evidence in the text: no acronym
    assert sentence_case("PGA R", "de PGA-R loopt") == "PGA-R"


def test_statements_per_component(module) -> None:  # type: ignore[no-untyped-def]
    for s in components(module):
        stellingen = [q for q in s["vragen"] if q["soort"] == "schaal"]
        assert 2 <= len(stellingen) <= 5, s["id"]
        # Statements come first, then the open questions.
        kinds = [q["soort"] for q in s["vragen"]]
        assert kinds == sorted(kinds, key=lambda k: k != "schaal")
        for q in stellingen:
            assert q["schaal"] == "volwassenheid"
            assert q["id"].startswith(f"{s['id']}.stelling-")
            assert q["tekst"].endswith((".", "?", "!"))
            assert not q["tekst"].startswith(("Hij ", "Deze ", "Hierbij", "Dit ")), q["tekst"]
            assert not q["tekst"].endswith(":")
            assert q["toelichting"]
    afr = components(module)[1]
    texts = [q["tekst"] for q in afr["vragen"] if q["soort"] == "schaal"]
    assert texts[0] == "De gemeente stelt een interne aandachtsfunctionaris/adviseur radicalisering aan."
    # 'Hij is verantwoordelijk ...' became a self-contained statement.
    assert any(t.startswith("De aandachtsfunctionaris/adviseur radicalisering is "
                            "verantwoordelijk voor de regie") for t in texts)
    # Statements are taken from the Hoe text (or the subtitle), never invented...
    for s in components(module):
        source = " ".join(s["hoe"].split()) + " " + s["ondertitel"]
        subject = "de " + s["titel"].lower().replace(" / ", "/")
        for q in s["vragen"]:
            if q["soort"] == "schaal" and "vastgelegd en bekend" not in q["tekst"]:
                original = q["tekst"].replace(subject[:1].upper() + subject[1:], "Hij")
                original = original.replace(subject, "hij")
                assert original.rstrip(".") in source, q["tekst"]
    # ...except the one fallback for a row with too little text.
    ext = components(module)[-1]
    assert ext["vragen"][-1]["tekst"].startswith("De afspraken over externe ondersteuning")


def test_objectives_section(module) -> None:  # type: ignore[no-untyped-def]
    assert len(module["doelstellingen"]) == 5
    sec = module["secties"][0]
    assert (sec["id"], sec["soort"], sec["titel"]) == (
        "doelstellingen", "doelstellingen", "Ambitie en doelstellingen")
    schaal = [q for q in sec["vragen"] if q["soort"] == "schaal"]
    assert [q["tekst"] for q in schaal] == [o["tekst"] for o in module["doelstellingen"]]
    assert all(q["schaal"] == "realisatie" for q in schaal)
    assert [q["id"] for q in schaal] == [f"doelstellingen.{o['id']}"
                                         for o in module["doelstellingen"]]
    open_q = {q["id"]: q for q in sec["vragen"] if q["soort"] == "tekst"}
    assert set(open_q) == {"doelstellingen.lokale-ambitie", "doelstellingen.lokale-doelstellingen"}
    assert open_q["doelstellingen.lokale-ambitie"]["tekst"].startswith("Specifiek voor onze")
    assert module["ambitie"] in open_q["doelstellingen.lokale-ambitie"]["toelichting"]


def test_definitions(module) -> None:  # type: ignore[no-untyped-def]
    assert [d["term"] for d in module["definities"]] == ["Radicalisering", "Extremisme",
                                                         "Terrorisme"]
    assert {d["bron"] for d in module["definities"]} == {
        "Nationaal Coördinator Terrorismebestrijding en Veiligheid"}


def test_ids_unique_and_well_formed(module) -> None:  # type: ignore[no-untyped-def]
    ids = all_ids(module)
    assert len(ids) == len(set(ids))
    assert all(ID.match(i) for i in ids), [i for i in ids if not ID.match(i)]
    # Two questions sharing their first six words get longer ids, not numbers.
    desk = [q["id"] for q in components(module)[7]["vragen"] if q["soort"] == "tekst"]
    assert desk[:2] == ["deskundigheidsbevordering.welke-collega-s-voorzie-ik-van-inhoudelijke",
                        "deskundigheidsbevordering.welke-collega-s-voorzie-ik-van-deskundigheid"]


def test_distinct_slugs_and_numbering() -> None:
    assert distinct_slugs(["a b c x", "a b c y", "q"], 3) == ["a-b-c-x", "a-b-c-y", "q"]
    assert distinct_slugs(["zelfde", "zelfde"], 3) == ["zelfde", "zelfde"]


def test_identical_questions_get_numbered(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = V.seed_text().replace("Hoe betrek ik het college?", "Welke afdelingen ga ik betrekken?")
    mod = module_from(tmp_path, text)
    ids = [q["id"] for q in components(mod)[0]["vragen"] if q["soort"] == "tekst"]
    assert ids[:2] == ["borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken",
                       "borgen-van-de-aanpak.welke-afdelingen-ga-ik-betrekken-2"]
    assert len(set(all_ids(mod))) == len(all_ids(mod))


# --- rendered YAML -------------------------------------------------------------------------


def test_render_is_deterministic_and_valid_yaml() -> None:
    a = render_module(read_template(V.SEED))
    b = render_module(read_template(V.SEED))
    assert a == b
    assert a.startswith("# GEGENEREERD door 'zelfscan generate' uit plan-van-aanpak.txt — "
                        "niet met de hand bewerken; wijzig het sjabloon en genereer opnieuw")
    doc = parse_yaml(a, "aanpak.yaml")  # the project's own safe reader accepts it
    assert doc.data == build_module(read_template(V.SEED))
    assert PLACEHOLDER not in a and "Klik of tik" not in a and "[bookmark" not in a
    assert "\t" not in a and "·" not in a


def test_committed_module_is_up_to_date() -> None:
    committed = (data_dir() / "aanpak.yaml").read_text(encoding="utf-8")
    assert committed == render_module(read_template(V.SEED))


def test_docx_generates_the_same_module(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = make_docx.build(V.SEED, tmp_path / "plan-van-aanpak.docx")
    assert build_module(read_template(path)) == build_module(read_template(V.SEED))


# --- template variants: no code changes needed ---------------------------------------------


def test_reordering_keeps_every_id(tmp_path, module) -> None:  # type: ignore[no-untyped-def]
    head, rows = V.split_rows(V.seed_text())
    rows = rows[5:] + rows[:5]
    mod = module_from(tmp_path, V.join_rows(head, rows))
    before = {s["id"]: [q["id"] for q in s["vragen"]] for s in module["secties"]}
    after = {s["id"]: [q["id"] for q in s["vragen"]] for s in mod["secties"]}
    assert before == after
    assert [s["id"] for s in components(mod)] == (
        [s["id"] for s in components(module)][5:] + [s["id"] for s in components(module)][:5])


def test_added_removed_reworded_rows(tmp_path, module) -> None:  # type: ignore[no-untyped-def]
    head, rows = V.split_rows(V.seed_text())
    del rows[V.row_index(rows, "HANDHAVING")]
    rows.append(V.new_row("ONLINE RADICALISERING",
                          "De gemeente volgt signalen van online radicalisering. "
                          "Er is een vast aanspreekpunt voor online signalen.",
                          ["Wie volgt online signalen?"]))
    text = V.join_rows(head, rows).replace("Hoe weeg ik die signalen?",
                                           "Hoe beoordeel ik die signalen?")
    mod = module_from(tmp_path, text)
    ids = [s["id"] for s in components(mod)]
    assert len(ids) == 11 and "handhaving" not in ids and ids[-1] == "online-radicalisering"
    new = components(mod)[-1]
    assert new["titel"] == "Online radicalisering"
    assert [q["tekst"] for q in new["vragen"]] == [
        "De gemeente volgt signalen van online radicalisering.",
        "Er is een vast aanspreekpunt voor online signalen.",
        "Wie volgt online signalen?",
    ]
    sm = {q["id"] for s in components(mod) if s["id"] == "signaleren-en-melden"
          for q in s["vragen"]}
    assert "signaleren-en-melden.hoe-beoordeel-ik-die-signalen" in sm
    assert "signaleren-en-melden.hoe-weeg-ik-die-signalen" not in sm
    assert not any(i.startswith("handhaving.") for i in all_ids(mod))


def test_row_without_questions_becomes_statements_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    head, rows = V.split_rows(V.seed_text())
    i = V.row_index(rows, "LOKAAL BEELD")
    rows[i] = V.without_questions(rows[i])
    mod = module_from(tmp_path, V.join_rows(head, rows))
    sec = components(mod)[i]
    assert sec["id"] == "lokaal-beeld"
    assert sec["vragen"] and all(q["soort"] == "schaal" for q in sec["vragen"])
    assert "Daarna" not in sec["inleiding"]


# --- the command ---------------------------------------------------------------------------


def test_generate_writes_and_check(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "uit"
    assert main(["generate", str(V.SEED), "-o", str(out)]) == 0
    target = out / "aanpak.yaml"
    assert target.read_text(encoding="utf-8") == render_module(read_template(V.SEED))
    assert "Vragenlijst geschreven" in capsys.readouterr().out

    assert main(["generate", str(V.SEED), "-o", str(out), "--check"]) == 0
    assert "actueel" in capsys.readouterr().out

    edited = target.read_text(encoding="utf-8").replace(
        "tekst: Hoe betrek ik het college?", "tekst: Hoe betrek ik de raad?")
    target.write_text(edited, encoding="utf-8")
    assert main(["generate", str(V.SEED), "-o", str(out), "--check"]) == 1
    captured = capsys.readouterr()
    assert "klopt niet meer met het sjabloon" in captured.err
    assert "Traceback" not in captured.err
    assert "-        tekst: Hoe betrek ik de raad?" in captured.out
    assert "+        tekst: Hoe betrek ik het college?" in captured.out
    assert target.read_text(encoding="utf-8") == edited  # --check never writes


def test_check_without_existing_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "leeg"
    assert main(["generate", str(V.SEED), "-o", str(out), "--check"]) == 1
    err = capsys.readouterr().err
    assert "bestaat nog niet" in err and "Traceback" not in err
    assert not (out / "aanpak.yaml").exists()


def test_check_against_the_built_in_module(capsys) -> None:  # type: ignore[no-untyped-def]
    # Without -o the built-in questionnaires folder is the target.
    assert main(["generate", str(V.SEED), "--check"]) == 0


def test_generated_module_loads_through_the_loader(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from wizard.questionnaire.loader import load_questionnaire

    manifest = yaml.safe_load((data_dir() / "zelfscan.yaml").read_text(encoding="utf-8"))
    manifest["modules"] = ["aanpak.yaml"]
    for key in ("scoring", "ondersteuning", "stappen", "acuut"):  # not what this test checks
        manifest.pop(key, None)
    (tmp_path / "zelfscan.yaml").write_text(
        yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["generate", str(V.SEED), "-o", str(tmp_path)]) == 0
    q = load_questionnaire(tmp_path / "zelfscan.yaml")
    comps = [s for s in q.sections if s.kind == "component"]
    assert [s.what for s in comps] == list(SEED_QUESTIONS)
    assert [len(s.open_questions()) for s in comps] == list(SEED_QUESTIONS.values())
    assert all(2 <= len(s.statements()) <= 5 for s in comps)
    assert comps[2].subtitle.startswith("Eens in de twee jaar")
    obj = next(s for s in q.sections if s.kind == "doelstellingen")
    assert len(obj.statements()) == 5


# --- taalcorrecties (questionnaires/correcties.yaml) ---------------------------------------


def test_corrections_fix_the_text_but_never_an_id(module) -> None:  # type: ignore[no-untyped-def]
    from wizard.questionnaire.generate import load_corrections

    raw = build_module(read_template(V.SEED), corrections=(), edits={})
    assert load_corrections()  # the built-in file holds corrections
    officer = next(s for s in components(module) if s["id"].startswith("aandachtsfunctionaris"))
    assert "Aandachtfunctionaris" not in officer["hoe"] and "ect.)" not in officer["hoe"]
    assert "onderhoudt contact" in officer["hoe"] and "lokaal adviseur van de NCTV" in officer["hoe"]
    assert "interne aandachtsfunctionaris/adviseur" in officer["vragen"][0]["tekst"]
    raw_officer = next(s for s in components(raw) if s["id"] == officer["id"])
    assert "interne Aandachtfunctionaris/adviseur" in raw_officer["vragen"][0]["tekst"]
    # Ids come from the uncorrected text: identical with and without corrections.
    assert all_ids(module) == all_ids(raw)
    assert [o["id"] for o in module["doelstellingen"]] == [o["id"] for o in raw["doelstellingen"]]
    # A correction that would change a statement's first words leaves its id alone.
    first = raw_officer["vragen"][0]["tekst"]
    mod = build_module(read_template(V.SEED), corrections=((first[:20], "Anders geschreven"),),
                       edits={})
    assert all_ids(mod) == all_ids(raw)
    assert any(q["tekst"].startswith("Anders geschreven") for s in components(mod)
               for q in s["vragen"])


def _data_copy(tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    import shutil

    import wizard.files.resources

    data = tmp_path / "questionnaires"
    shutil.copytree(data_dir(), data)
    monkeypatch.setattr(wizard.files.resources, "data_dir", lambda: data)
    return data


def test_check_fails_when_corrections_change_without_regenerating(
        tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    data = _data_copy(tmp_path, monkeypatch)
    assert main(["generate", str(V.SEED), "--check"]) == 0
    capsys.readouterr()
    fixes = data / "correcties.yaml"
    fixes.write_text(fixes.read_text(encoding="utf-8")
                     + "  - van: Hoe betrek ik het college?\n"
                       "    naar: Hoe betrek ik het college van B&W?\n", encoding="utf-8")
    assert main(["generate", str(V.SEED), "--check"]) == 1
    captured = capsys.readouterr()
    assert "klopt niet meer met het sjabloon" in captured.err
    assert "+        tekst: Hoe betrek ik het college van B&W?" in captured.out
    assert main(["generate", str(V.SEED)]) == 0
    assert "tekst: Hoe betrek ik het college van B&W?" in (data / "aanpak.yaml").read_text(
        encoding="utf-8")
    assert main(["generate", str(V.SEED), "--check"]) == 0


def test_unused_or_malformed_corrections(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    data = _data_copy(tmp_path, monkeypatch)
    fixes = data / "correcties.yaml"
    fixes.write_text("correcties:\n  - van: bestaat nergens\n    naar: iets\n", encoding="utf-8")
    assert main(["generate", str(V.SEED)]) == 0
    assert "'bestaat nergens' uit correcties.yaml komt niet voor" in capsys.readouterr().err
    fixes.write_text("correcties:\n  - van: ect.\n    naar: etc.\n  - van: x\n", encoding="utf-8")
    assert main(["generate", str(V.SEED)]) == 1
    err = capsys.readouterr().err
    assert "precies twee sleutels" in err and "correcties.yaml:4" in err
    assert "Traceback" not in err
