"""wizard.questionnaire.loader: the built-in questionnaire, malformed files with exact file:line, `validate`,
and the JSON Schema kept in step with the keys the loader accepts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.errors import ValidationError, ZelfscanError
from wizard.files.resources import data_dir, manifest_path
from wizard.files.yamlio import load_yaml
from wizard.questionnaire import model
from wizard.questionnaire.loader import (
    DEFINITION_KEYS,
    DEFINITION_REQUIRED,
    MANIFEST_KEYS,
    MANIFEST_REQUIRED,
    MODULE_KEYS,
    OBJECTIVE_KEYS,
    OBJECTIVE_REQUIRED,
    QUESTION_KEYS,
    QUESTION_REQUIRED,
    SCALE_KEYS,
    SCALE_REQUIRED,
    SECTION_KEYS,
    SECTION_REQUIRED,
    load_module,
    load_questionnaire,
)

FIX = Path(__file__).parent / "fixtures" / "questionnaires"
BASIS = FIX / "basis"
SCHEMA = data_dir() / "schema"


def _case(tmp_path: Path, bad: str) -> Path:
    """A copy of the valid basis questionnaire with one file replaced by a broken one."""
    d = tmp_path / "vl"
    shutil.copytree(BASIS, d)
    target = "zelfscan.yaml" if bad.startswith("manifest") else "module.yaml"
    shutil.copy(FIX / "fout" / bad, d / target)
    return d / "zelfscan.yaml"


def _problems(path: Path) -> list:
    with pytest.raises(ZelfscanError) as info:
        load_questionnaire(path)
    return info.value.problems


# --- the built-in questionnaire ----------------------------------------------------------

def test_builtin_loads_from_another_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    q = load_questionnaire()
    assert q.id == "zelfscan" and q.version == 1
    assert set(q.scales) == {"volwassenheid", "realisatie", "dreiging"}
    assert q.scales["volwassenheid"].options[4].label == "Volledig ingericht en geborgd"
    assert q.scales["volwassenheid"].allows_na and q.scales["volwassenheid"].allows_unknown
    assert q.scales["dreiging"].allows_unknown and not q.scales["dreiging"].allows_na
    assert [s.id for s in q.sections][:2] == ["intake", "dreiging"]
    for key in ("scoring", "ondersteuning", "stappen", "acuut"):
        assert Path(q.config_files[key]).is_absolute()
        assert Path(q.config_files[key]).is_file()
    assert Path(q.source_file) == manifest_path()
    # The cached built-in is the same object while the files are unchanged.
    assert load_questionnaire() is q


def _authored_only(tmp_path: Path) -> Path:
    """The built-in manifest with only the authored modules (independent of generated files)."""
    d = tmp_path / "authored"
    d.mkdir()
    for name in ("intake.yaml", "dreiging.yaml"):
        shutil.copy(data_dir() / name, d / name)
    text = (data_dir() / "zelfscan.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^modules: .*$", "modules: [intake.yaml, dreiging.yaml]", text, flags=re.MULTILINE)
    text = re.sub(r"^(scoring|ondersteuning|stappen|acuut): .*$", "", text, flags=re.MULTILINE)
    (d / "zelfscan.yaml").write_text(text, encoding="utf-8")
    return d / "zelfscan.yaml"


def test_intake_module(tmp_path):
    q = load_questionnaire(_authored_only(tmp_path))
    intake = q.section("intake")
    assert [x.id for x in intake.questions] == [
        "intake.gemeente", "intake.inwoners", "intake.provincie", "intake.politieregio",
        "intake.rol", "intake.plan-aanwezig",
    ]
    assert all(x.classification == model.PUBLIC for x in intake.questions)
    assert q.question("intake.gemeente").required
    inw = q.question("intake.inwoners")
    assert (inw.kind, inw.minimum, inw.maximum) == (model.NUMBER, 1, 1_000_000)
    assert len(q.question("intake.provincie").options) == 12
    regio = q.question("intake.politieregio")
    assert [o.value for o in regio.options] == [
        "noord-nederland", "oost-nederland", "midden-nederland", "noord-holland", "amsterdam",
        "den-haag", "rotterdam", "zeeland-west-brabant", "oost-brabant", "limburg",
    ]
    assert "Goeree-Overflakkee" in regio.help and "VAR" in regio.help
    assert [o.value for o in q.question("intake.rol").options] == ["ambtenaar", "adviseur", "samen"]
    assert not q.question("intake.rol").allows_unknown  # a role is always known
    assert q.question("intake.plan-aanwezig").allowed_values() == [
        "ja", "verouderd", "nee", model.WEET_NIET]


def test_threat_module(tmp_path):
    q = load_questionnaire(_authored_only(tmp_path))
    sec = q.section("dreiging")
    assert sec.kind == "dreiging" and sec.classification == model.CONFIDENTIAL
    assert "weet niet" in sec.intro.lower()
    scaled = sec.statements()
    assert 8 <= len(scaled) <= 10
    scale_labels = [o.label for o in q.scales["dreiging"].options]
    for x in scaled:
        assert x.scale_id == "dreiging"
        assert [o.value for o in x.options] == [0, 1, 2, 3]
        assert [o.label for o in x.options] != scale_labels, x.id  # own concrete anchors
        assert x.allows_unknown and not x.allows_na
        assert x.classification == model.CONFIDENTIAL
    themes = {x.id for x in scaled}
    assert {"dreiging.signalen", "dreiging.casussen", "dreiging.terugkeerders",
            "dreiging.polarisatie", "dreiging.online", "dreiging.groeperingen",
            "dreiging.incidenten-scholen", "dreiging.incidenten-gebedshuizen",
            "dreiging.families"} <= themes
    assert q.question("dreiging.signalen").label_for(1) == "1 – 1–2 signalen"
    follow = q.question("dreiging.toelichting-casussen")
    assert follow.kind == model.TEXT and follow.classification == model.CONFIDENTIAL
    assert follow.condition == {"vraag": "dreiging.casussen", "minstens": 1}
    assert "zonder namen" in follow.text


def test_authored_files_point_editors_at_the_schema():
    for name, schema in (("zelfscan.yaml", "vragenlijst"), ("intake.yaml", "module"),
                         ("dreiging.yaml", "module")):
        first = (data_dir() / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{schema}.schema.json"
        assert (data_dir() / "schema" / f"{schema}.schema.json").is_file()


# --- the basis fixture: mapping to the model ---------------------------------------------

def test_basis_fixture_maps_every_key():
    q = load_questionnaire(BASIS / "zelfscan.yaml")
    assert (q.id, q.version, q.title) == ("proef", 2, "Proefvragenlijst")
    assert q.ambition == "Een weerbare gemeente."
    assert q.objectives == (model.Objective("vroeg-signaleren", "Signalen komen vroeg binnen."),)
    assert q.config_files == {"scoring": str((BASIS / "scoring.yaml").resolve())}
    sig = q.question("dreiging.signalen")
    assert [(o.value, o.label) for o in sig.options] == [
        (0, "Geen"), (1, "1–2"), (2, "3 of meer")]
    assert (sig.weight, sig.tags, sig.section_id) == (2.0, ("signalering",), "dreiging")
    assert not sig.allows_na  # from the scale
    # Section classification is the default; a question may override it.
    assert q.question("dreiging.toelichting").classification == model.CONFIDENTIAL
    assert q.question("dreiging.ouders").classification == model.PUBLIC
    # ja/nee in conditions become bools for the rule language.
    assert q.question("lokaal-beeld.stelling-beeld").condition == {
        "vraag": "intake.gemeente", "beantwoord": True}
    stelling = q.question("lokaal-beeld.stelling-beeld")
    assert [o.label for o in stelling.options] == ["Niet", "Deels", "Volledig"]
    assert stelling.allowed_values() == [0, 1, 2, model.WEET_NIET, model.NVT]
    rol = q.question("intake.rol")
    assert rol.allowed_values() == ["ambtenaar", "adviseur"]


def test_explicit_path_is_not_cached(tmp_path):
    d = tmp_path / "vl"
    shutil.copytree(BASIS, d)
    assert load_questionnaire(d / "zelfscan.yaml").title == "Proefvragenlijst"
    text = (d / "zelfscan.yaml").read_text(encoding="utf-8")
    (d / "zelfscan.yaml").write_text(text.replace("Proefvragenlijst", "Anders"), encoding="utf-8")
    assert load_questionnaire(d / "zelfscan.yaml").title == "Anders"


# --- malformed files: every problem, with the exact line ---------------------------------

@pytest.mark.parametrize(
    "bad, file, line, fragment, hint",
    [
        ("onbekende-schaal.yaml", "module.yaml", 12,
         "sectie 'lokaal-beeld', vraag 'lokaal-beeld.v2': onbekende schaal 'likert7'",
         "Bekende schalen: volwassenheid, dreiging."),
        ("onbekende-sleutel.yaml", "module.yaml", 9, "onbekende sleutel 'toelichitng'",
         "Bedoelde u 'toelichting'?"),
        ("voorwaarde-later.yaml", "module.yaml", 10,
         "vraag 'extra.later' komt niet eerder in de vragenlijst", "eerder gesteld"),
        ("voorwaarde-onbekend.yaml", "module.yaml", 12, "onbekende vraag 'intake.bestaat-niet'",
         None),
        ("ongeldige-yaml.yaml", "module.yaml", 4, "geen geldige YAML: een tab-teken",
         "inspringing"),
        ("leeg.yaml", "module.yaml", None, "vragenlijstmodule is leeg", None),
        ("lijst.yaml", "module.yaml", 3, "moet sleutels hebben (zoals 'secties'), niet een lijst",
         "secties:"),
        ("manifest-ontbrekende-module.yaml", "zelfscan.yaml", 9,
         "module 'bestaat-niet.yaml' niet gevonden", "haal het uit de lijst 'modules'"),
    ],
)
def test_malformed_file_names_file_and_line(tmp_path, bad, file, line, fragment, hint):
    problems = _problems(_case(tmp_path, bad))
    hits = [p for p in problems if fragment in p.message]
    assert len(hits) == 1, [p.format() for p in problems]
    p = hits[0]
    assert Path(p.file).name == file
    assert p.line == line
    if hint:
        assert hint in (p.hint or "")


def test_duplicate_ids_across_modules_point_at_both_places(tmp_path):
    problems = _problems(_case(tmp_path, "dubbel-id.yaml"))
    assert [(Path(p.file).name, p.line) for p in problems] == [("module.yaml", 9),
                                                               ("module.yaml", 13)]
    assert "sectie-id 'intake' komt twee keer voor" in problems[0].message
    assert problems[0].message.endswith("intake.yaml:2)")
    assert "vraag-id 'intake.gemeente' komt twee keer voor" in problems[1].message
    assert problems[1].message.endswith("intake.yaml:6)")


def test_all_problems_are_collected_before_raising(tmp_path):
    with pytest.raises(ValidationError) as info:
        load_questionnaire(_case(tmp_path, "diverse-fouten.yaml"))
    problems = info.value.problems
    assert [p.line for p in problems] == [5, 7, 13, 19, 21, 26]
    text = str(info.value)
    assert "de vragenlijst bevat 6 fouten" in text
    for fragment in ("onbekende classificatie 'geheim'", "een keuzevraag heeft 'opties:' nodig",
                     "'min' (10) is groter dan 'max' (5)",
                     "'5' is geen waarde van schaal 'dreiging'",
                     "onbekende soort vraag 'likert'", "'verplicht' moet ja of nee zijn"):
        assert fragment in text


def test_manifest_names_missing_support_file(tmp_path):
    problems = _problems(_case(tmp_path, "manifest-ontbrekende-module.yaml"))
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [(9, "module"), (10, "het")]
    assert "'ondersteuning-bestaat-niet.yaml' (bij 'ondersteuning') bestaat niet" in \
        problems[1].message


def _module(tmp_path: Path, body: str) -> list:
    d = tmp_path / "vl"
    shutil.copytree(BASIS, d)
    (d / "module.yaml").write_text(body, encoding="utf-8")
    return _problems(d / "zelfscan.yaml")


def test_condition_value_must_be_a_possible_answer(tmp_path):
    problems = _module(tmp_path, """secties:
  - id: extra
    titel: Extra
    soort: overig
    vragen:
      - id: extra.a
        soort: tekst
        tekst: A
        toon_als: {vraag: intake.rol, is: burgemeester}
      - id: extra.b
        soort: tekst
        tekst: B
        toon_als: {vraag: intake.rol, minstens: 1}
""")
    assert [(p.line, p.message.split(": ")[-1]) for p in problems] == [
        (9, "'burgemeester' is geen mogelijk antwoord op 'intake.rol'"),
        (13, "'minstens' werkt alleen bij een schaal- of getalvraag; 'intake.rol' is keuze"),
    ]


def test_question_id_must_start_with_section_and_missing_keys(tmp_path):
    problems = _module(tmp_path, """secties:
  - id: extra
    soort: overig
    vragen:
      - id: ander.vraag
        soort: tekst
        tekst: A
      - id: extra.b
        tekst: B
        anker: {0: x}
""")
    got = [(p.line, p.message) for p in problems]
    assert (2, "sectie 'extra': verplichte sleutel 'titel' ontbreekt") in got
    assert (5, ("sectie 'extra', vraag 'ander.vraag': vraag-id 'ander.vraag' moet beginnen met "
               "'extra.'")) in got
    assert (8, "sectie 'extra', vraag 'extra.b': verplichte sleutel 'soort' ontbreekt") in got
    assert (10, "sectie 'extra', vraag 'extra.b': onbekende sleutel 'anker'") in got
    assert len(got) == 4


def test_scale_anchors_must_cover_the_scale(tmp_path):
    problems = _module(tmp_path, """secties:
  - id: extra
    titel: Extra
    soort: overig
    vragen:
      - id: extra.a
        soort: schaal
        schaal: dreiging
        tekst: A
        opties: {0: Geen, 1: Een}
""")
    assert [(p.line, p.message.split(": ", 1)[1]) for p in problems] == [
        (10, "'opties' moet alle waarden van schaal 'dreiging' beschrijven; ontbreekt: 2")]


# --- zelfscan validate --------------------------------------------------------------------

def test_validate_builtin(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    # The first line always says which questionnaire was checked (issue 14).
    assert re.fullmatch(
        rf"Vragenlijst: de ingebouwde vragenlijst \({re.escape(str(data_dir()))}\)\n"
        rf"OK: {re.escape(str(data_dir() / 'zelfscan.yaml'))} — \d+ secties, \d+ vragen; regels "
        r"voor scoring, advies en ondersteuning, de plantekst en de casuswoorden "
        r"\(casuswoorden.yaml\) ook in orde\n", out)


def test_validate_manifest_and_module(capsys):
    basis = str(BASIS / "zelfscan.yaml")
    assert main(["validate", basis]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [f"OK: {basis} — 3 secties, 7 vragen"]
    # A module on its own, checked with the scales (and question ids) of --vragenlijst.
    module = str(BASIS / "module.yaml")
    assert main(["--vragenlijst", basis, "validate", module]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Vragenlijst: eigen vragenlijst {basis} (via --vragenlijst)",
        f"OK: {module} — 2 secties, 4 vragen"]


def test_validate_builtin_module_on_its_own(capsys):
    path = str(data_dir() / "dreiging.yaml")
    assert main(["validate", path]) == 0
    out = capsys.readouterr().out.split("\n", 1)[1]
    assert re.fullmatch(rf"OK: {re.escape(path)} — 1 sectie, \d+ vragen\n", out)


def test_validate_bad_file_exit_code_and_message(tmp_path, capsys):
    manifest = _case(tmp_path, "onbekende-schaal.yaml")
    good = str(BASIS / "zelfscan.yaml")
    assert main(["validate", good, str(manifest)]) == 1
    cap = capsys.readouterr()
    assert cap.out.splitlines()[1:] == [f"OK: {good} — 3 secties, 7 vragen"]
    assert "Traceback" not in cap.err
    assert f"{manifest.parent / 'module.yaml'}:12: sectie 'lokaal-beeld', vraag " \
           "'lokaal-beeld.v2': onbekende schaal 'likert7'" in cap.err
    assert "1 van 2 bestanden bevat fouten" in cap.err


@pytest.mark.parametrize("bad, line", [("ongeldige-yaml.yaml", 4), ("leeg.yaml", None),
                                       ("lijst.yaml", 3)])
def test_validate_broken_single_file(capsys, bad, line):
    assert main(["validate", str(FIX / "fout" / bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("zelfscan: ") and "Traceback" not in err
    where = f"{FIX / 'fout' / bad}:{line}: " if line else f"{FIX / 'fout' / bad}: "
    assert where in err


def test_validate_missing_file_and_unknown_kind(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nergens.yaml")]) == 1
    assert "niet gevonden" in capsys.readouterr().err
    other = tmp_path / "iets.yaml"
    other.write_text("naam: iets\n", encoding="utf-8")
    assert main(["validate", str(other)]) == 1
    err = capsys.readouterr().err
    assert f"{other}:1: onbekend soort bestand" in err and "Traceback" not in err


def test_validate_answers_file_is_delegated(capsys):
    basis = str(BASIS / "zelfscan.yaml")
    answers = str(FIX / "fout" / "antwoorden.yaml")
    assert main(["--vragenlijst", basis, "validate", answers]) == 0
    assert capsys.readouterr().out == (f"Vragenlijst: eigen vragenlijst {basis} (via "
                                       f"--vragenlijst)\nOK: {answers} — antwoordbestand, "
                                       "1 antwoord\n")


def test_validate_respects_vragenlijst_option(tmp_path, capsys):
    manifest = _case(tmp_path, "onbekende-sleutel.yaml")
    assert main(["--vragenlijst", str(manifest), "validate"]) == 1
    assert "Bedoelde u 'toelichting'?" in capsys.readouterr().err


def test_loader_imports_no_ui_or_template_libraries():
    code = ("import sys, wizard.questionnaire.loader; wizard.questionnaire.loader.load_questionnaire(); "
            "print(sorted(m for m in ('prompt_toolkit', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "[]"


# --- JSON Schema --------------------------------------------------------------------------
# jsonschema is not installed; this small validator covers exactly the keywords our schemas
# use, and a test fails if a schema starts using one it does not understand.

SUPPORTED = {"$schema", "title", "description", "$defs", "$ref", "type", "properties",
             "required", "additionalProperties", "enum", "const", "minimum", "minItems",
             "minProperties", "items", "pattern", "propertyNames", "allOf", "if", "then"}


def _schema(name: str) -> dict:
    return json.loads((SCHEMA / f"{name}.schema.json").read_text(encoding="utf-8"))


def _keywords(node, found: set) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            found.add(k)
            if k in ("properties", "$defs"):
                for sub in v.values():
                    _keywords(sub, found)
            elif k in ("enum", "const", "required"):
                continue
            else:
                _keywords(v, found)
    elif isinstance(node, list):
        for v in node:
            _keywords(v, found)


def _type_ok(value, t: str) -> bool:
    return {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
    }[t]


def _errors(value, schema: dict, root: dict, where: str = "") -> list[str]:
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/")
        schema = {**root["$defs"][ref.split("/")[-1]],
                  **{k: v for k, v in schema.items() if k != "$ref"}}
    errs: list[str] = []
    if "type" in schema and not _type_ok(value, schema["type"]):
        return [f"{where}: not {schema['type']}"]
    if "enum" in schema and not any(value == e and type(value) is type(e)
                                    for e in schema["enum"]):
        errs.append(f"{where}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        errs.append(f"{where}: not const")
    if "minimum" in schema and value < schema["minimum"]:
        errs.append(f"{where}: below minimum")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errs.append(f"{where}: pattern")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errs.append(f"{where}: too few items")
        if "items" in schema:
            for i, v in enumerate(value):
                errs += _errors(v, schema["items"], root, f"{where}[{i}]")
    if isinstance(value, dict):
        if len(value) < schema.get("minProperties", 0):
            errs.append(f"{where}: too few properties")
        for k in schema.get("required", []):
            if k not in value:
                errs.append(f"{where}: missing {k}")
        props = schema.get("properties", {})
        for k, v in value.items():
            key = str(k)  # YAML keys such as 0: are strings in JSON
            if "propertyNames" in schema:
                errs += _errors(key, schema["propertyNames"], root, f"{where}.{key}(name)")
            if key in props:
                errs += _errors(v, props[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errs.append(f"{where}: unexpected {key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errs += _errors(v, schema["additionalProperties"], root, f"{where}.{key}")
    for sub in schema.get("allOf", []):
        if "if" in sub:
            if not _errors(value, sub["if"], root, where):
                errs += _errors(value, sub["then"], root, where)
        else:
            errs += _errors(value, sub, root, where)
    return errs


def _validate(path: Path, name: str) -> list[str]:
    return _errors(load_yaml(path).data, _schema(name), _schema(name))


def test_schemas_are_json_with_only_supported_keywords():
    for name in ("vragenlijst", "module"):
        schema = _schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        found: set = set()
        _keywords(schema, found)
        assert found <= SUPPORTED, found - SUPPORTED


def test_schema_keys_match_loader_keys():
    man, mod = _schema("vragenlijst"), _schema("module")
    pairs = [
        (man, MANIFEST_KEYS, MANIFEST_REQUIRED),
        (man["$defs"]["schaal"], SCALE_KEYS, SCALE_REQUIRED),
        (mod, MODULE_KEYS, ("secties",)),
        (mod["$defs"]["definitie"], DEFINITION_KEYS, DEFINITION_REQUIRED),
        (mod["$defs"]["doelstelling"], OBJECTIVE_KEYS, OBJECTIVE_REQUIRED),
        (mod["$defs"]["sectie"], SECTION_KEYS, SECTION_REQUIRED),
        (mod["$defs"]["vraag"], QUESTION_KEYS, QUESTION_REQUIRED),
    ]
    for schema, keys, required in pairs:
        assert set(schema["properties"]) == set(keys)
        assert set(schema["required"]) == set(required)
        assert schema["additionalProperties"] is False
    from wizard.questionnaire.conditions import ANSWER_OPS
    assert set(mod["$defs"]["voorwaarde"]["properties"]) == {
        "vraag", *ANSWER_OPS, "alle", "een_van", "niet", "altijd"}
    assert mod["$defs"]["vraag"]["properties"]["soort"]["enum"] == list(model.KIND_FROM_YAML)
    assert mod["$defs"]["sectie"]["properties"]["soort"]["enum"] == list(model.SECTION_KINDS)
    assert mod["$defs"]["classificatie"]["enum"] == list(model.CLASSIFICATIONS)


def test_builtin_and_fixture_files_validate_against_schema():
    manifests = [manifest_path(), BASIS / "zelfscan.yaml"]
    modules = [data_dir() / m for m in load_yaml(manifest_path()).data["modules"]]
    modules += [BASIS / "intake.yaml", BASIS / "module.yaml"]
    for p in manifests:
        assert _validate(p, "vragenlijst") == [], p
    for p in modules:
        assert _validate(p, "module") == [], p


def test_schema_rejects_broken_fixtures():
    assert _validate(FIX / "fout" / "onbekende-sleutel.yaml", "module") == [
        ".secties[0].vragen[0]: unexpected toelichitng"]
    errs = _validate(FIX / "fout" / "diverse-fouten.yaml", "module")
    assert ".secties[0].classificatie: 'geheim' not in enum" in errs
    assert ".secties[0].vragen[0]: missing opties" in errs  # keuze without opties
    assert _validate(FIX / "fout" / "manifest-ontbrekende-module.yaml", "vragenlijst") == []


def test_module_alone_uses_given_scales():
    q = load_questionnaire(BASIS / "zelfscan.yaml")
    mq = load_module(BASIS / "module.yaml", dict(q.scales), {"intake.rol", "intake.gemeente"})
    assert [s.id for s in mq.sections] == ["dreiging", "lokaal-beeld"]
    with pytest.raises(ValidationError) as info:
        load_module(BASIS / "module.yaml", dict(q.scales))  # intake ids unknown here
    assert {p.line for p in info.value.problems} == {26, 35}


def test_leesmij_example_is_real_output(tmp_path, capsys):
    """The error shown in LEESMIJ.md is what `validate` really prints for that typo."""
    guide = (data_dir() / "LEESMIJ.md").read_text(encoding="utf-8")
    example = re.search(r"^(dreiging\.yaml:\d+: .*)\n(    → .*)$", guide, re.MULTILINE)
    assert example
    for name in ("zelfscan.yaml", "intake.yaml", "dreiging.yaml"):
        shutil.copy(data_dir() / name, tmp_path / name)
    text = (tmp_path / "dreiging.yaml").read_text(encoding="utf-8")
    start = text.index("id: dreiging.online")
    at = text.index("schaal: dreiging", start)
    text = text[:at] + "schaal: dreigng" + text[at + len("schaal: dreiging"):]
    (tmp_path / "dreiging.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", str(tmp_path / "dreiging.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"zelfscan: {tmp_path / 'dreiging.yaml'}: 1 fout gevonden.")
    assert f"{tmp_path}/{example.group(1)}\n{example.group(2)}\n" in err
