"""Questionnaire files (manifest + modules, Dutch keys) -> validated `model.Questionnaire`.

Every problem in every file is collected before anything is raised, so an officer who edits
the YAML sees all mistakes at once, each with file:line and a hint. Also `zelfscan validate`.

The key sets (here and in `modules`) are the single list of what the loader accepts; a test checks that the JSON
Schema in questionnaires/schema/ names exactly the same keys, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from wizard.errors import Problem, ValidationError, ZelfscanError
from wizard.files.yamlio import YamlDoc, load_yaml
from wizard.questionnaire import model
from wizard.questionnaire.modules import (  # noqa: F401  (key sets: re-exported for the schema test)
    DEFINITION_KEYS,
    DEFINITION_REQUIRED,
    MODULE_KEYS,
    OBJECTIVE_KEYS,
    OBJECTIVE_REQUIRED,
    QUESTION_KEYS,
    QUESTION_REQUIRED,
    SECTION_KEYS,
    SECTION_REQUIRED,
    SLUG_RE,
    Collector,
    State,
    is_int,
    parse_module,
)
from wizard.questionnaire.references import check_conditions, check_short_scan
from wizard.questionnaire.scales import SCALE_KEYS, SCALE_REQUIRED, parse_scales  # noqa: F401

# --- accepted keys (kept in step with questionnaires/schema/*.schema.json) -----------------
MANIFEST_REQUIRED = ("id", "versie", "titel", "schalen", "modules")
MANIFEST_KEYS = MANIFEST_REQUIRED + ("scoring", "ondersteuning", "stappen", "acuut",
                                     "casuswoorden", "toelichtingen_classificatie")
# Files named by the manifest besides the modules; recorded in Questionnaire.config_files.
CONFIG_KEYS = ("scoring", "ondersteuning", "stappen", "acuut", "casuswoorden")


# --- scales ---------------------------------------------------------------------------------


# --- manifest -------------------------------------------------------------------------------

@dataclass
class _Manifest:
    doc: YamlDoc
    id: str = ""
    version: int = 0
    title: str = ""
    scales: dict[str, model.Scale] = field(default_factory=dict)
    modules: list[tuple[Path, int | None]] = field(default_factory=list)  # (path, manifest line)
    config_files: dict[str, str] = field(default_factory=dict)
    notes_classification: str = model.CONFIDENTIAL


def _parse_manifest(doc: YamlDoc, problems: list[Problem]) -> _Manifest:
    c = Collector(doc, problems)
    m = _Manifest(doc)
    data = doc.data
    if not isinstance(data, dict):
        c.add("", "het hoofdbestand van de vragenlijst moet sleutels hebben "
                  "(id, versie, titel, schalen, modules), geen losse lijst of tekst", ())
        return m
    c.keys("", data, (), MANIFEST_KEYS, MANIFEST_REQUIRED)
    m.id = c.field_text("", data, "id", ())
    if "id" in data and not SLUG_RE.match(m.id):
        c.add("", f"id '{m.id}' mag alleen kleine letters, cijfers en '-' bevatten", ("id",))
    if "versie" in data:
        if is_int(data["versie"]) and data["versie"] >= 1:
            m.version = data["versie"]
        else:
            c.add("", "'versie' moet een heel getal van 1 of hoger zijn", ("versie",))
    m.title = c.field_text("", data, "titel", ())
    if "schalen" in data:
        m.scales = parse_scales(c, data["schalen"], ("schalen",))
    base = Path(doc.file).parent
    if "modules" in data:
        mods = data["modules"]
        if not isinstance(mods, list) or not mods:
            c.add("", "'modules' moet een lijst van bestandsnamen zijn", ("modules",),
                  "Bijvoorbeeld: modules: [intake.yaml, dreiging.yaml, aanpak.yaml]")
        else:
            seen: set[str] = set()
            for i, name in enumerate(mods):
                line = doc.line("modules", i)
                if not isinstance(name, str) or not name.strip():
                    c.add("", "een module moet een bestandsnaam zijn", ("modules", i))
                    continue
                if name in seen:
                    c.add("", f"module '{name}' staat twee keer in de lijst", ("modules", i))
                    continue
                seen.add(name)
                m.modules.append((base / name, line))
    for key in CONFIG_KEYS:
        if key not in data:
            continue
        name = data[key]
        if not isinstance(name, str) or not name.strip():
            c.add("", f"'{key}' moet een bestandsnaam zijn", (key,))
            continue
        p = base / name
        if not p.is_file():
            c.add("", f"het bestand '{name}' (bij '{key}') bestaat niet", (key,),
                  f"Zet {name} naast {Path(doc.file).name} of verbeter de naam.")
            continue
        m.config_files[key] = str(p.resolve())
    if "toelichtingen_classificatie" in data:
        v = data["toelichtingen_classificatie"]
        if v in model.CLASSIFICATIONS:
            m.notes_classification = str(v)
        else:
            c.add("", f"onbekende classificatie '{v}' bij 'toelichtingen_classificatie'",
                  ("toelichtingen_classificatie",),
                  "Kies " + " of ".join(model.CLASSIFICATIONS) + ".")
    return m


# --- modules --------------------------------------------------------------------------------


# --- public API -----------------------------------------------------------------------------

def _read(path: Path, problems: list[Problem], what: str) -> YamlDoc | None:
    try:
        return load_yaml(path, what=what)
    except ZelfscanError as e:
        problems.extend(e.problems)
        return None


def _raise(problems: list[Problem], file: str) -> None:
    if problems:
        # Read order: files in the order they were read, lines top to bottom.
        first = {f: i for i, f in reversed(list(enumerate(p.file for p in problems)))}
        problems = sorted(problems, key=lambda p: (first[p.file], p.line or 0))
        n = len(problems)
        raise ValidationError(
            problems,
            summary=f"{file}: de vragenlijst bevat {n} {'fout' if n == 1 else 'fouten'}. "
                    "Verbeter ze en controleer opnieuw met 'zelfscan validate'.",
        )


def _build(path: Path) -> model.Questionnaire:
    problems: list[Problem] = []
    doc = _read(path, problems, "vragenlijst")
    if doc is None:
        _raise(problems, str(path))
    assert doc is not None
    if isinstance(doc.data, dict) and "modules" not in doc.data:
        # An answers file or a module given to --vragenlijst: say so, instead of a list
        # of "unknown key" problems that hide the real mistake.
        kind = ("een antwoordbestand" if "antwoorden" in doc.data else
                "een module" if "secties" in doc.data else None)
        if kind:
            _raise([Problem(f"dit is {kind}, geen hoofdbestand van een vragenlijst", doc.file,
                            doc.line(), "Geef bij --vragenlijst het hoofdbestand (zoals "
                            "zelfscan.yaml, met 'modules:'); een antwoordbestand geeft u op "
                            "na de opdracht, bijv. 'zelfscan validate antwoorden.yaml'.")],
                   str(path))
    manifest = _parse_manifest(doc, problems)
    st = State(manifest.scales, problems)
    for mod_path, line in manifest.modules:
        if not mod_path.is_file():
            problems.append(Problem(
                f"module '{mod_path.name}' niet gevonden ({mod_path})", doc.file, line,
                f"Zet het bestand naast {path.name} of haal het uit de lijst 'modules'."))
            continue
        mdoc = _read(mod_path, problems, "vragenlijstmodule")
        if mdoc is not None:
            parse_module(mdoc, st)
    check_conditions(st, set())
    check_short_scan(st)
    if not problems and manifest.modules and not any(s.questions for s in st.sections):
        problems.append(Problem("de vragenlijst bevat geen enkele vraag", doc.file,
                                doc.line("modules")))
    _raise(problems, str(path))
    return model.Questionnaire(
        id=manifest.id,
        version=manifest.version,
        title=manifest.title,
        sections=tuple(st.sections),
        scales=dict(manifest.scales),
        definitions=tuple(st.definitions),
        ambition=st.ambition,
        objectives=tuple(st.objectives),
        source_file=str(path),
        config_files=dict(manifest.config_files),
        notes_classification=manifest.notes_classification,
        retired=frozenset(st.retired - set(st.question_order)),
    )


def _stamp(folder: Path) -> tuple:
    """Changes whenever a YAML file in the folder changes, so the cache never goes stale."""
    out = []
    for p in sorted(folder.glob("*.yaml")):
        try:
            s = p.stat()
        except OSError:
            continue
        out.append((p.name, s.st_mtime_ns, s.st_size))
    return tuple(out)


@lru_cache(maxsize=4)
def _cached(path: str, stamp: tuple) -> model.Questionnaire:
    return _build(Path(path))


def load_questionnaire(path: str | Path | None = None) -> model.Questionnaire:
    """Load and validate a questionnaire (manifest path or the folder holding zelfscan.yaml;
    None = the built-in one).

    Raises ValidationError listing every problem with file:line.
    """
    if path is None:
        from wizard.files.resources import manifest_path

        p = manifest_path()
        return _cached(str(p), _stamp(p.parent))
    from wizard.questionnaire.source import manifest_of

    return _build(manifest_of(path))


def load_module(
    path: str | Path, scales: dict[str, model.Scale], external_ids: Iterable[str] = (),
) -> model.Questionnaire:
    """Validate one module file on its own, with the given scales.

    Conditions may refer to `external_ids` (questions of other modules) without order checks.
    """
    p = Path(path)
    problems: list[Problem] = []
    doc = _read(p, problems, "vragenlijstmodule")
    _raise(problems, str(p))
    assert doc is not None
    st = State(dict(scales), problems)
    parse_module(doc, st)
    check_conditions(st, set(external_ids) - set(st.question_order))
    _raise(problems, str(p))
    return model.Questionnaire(
        id=p.stem, version=1, title=p.stem, sections=tuple(st.sections), scales=dict(scales),
        definitions=tuple(st.definitions), ambition=st.ambition,
        objectives=tuple(st.objectives), source_file=str(p),
    )


# --- zelfscan validate ----------------------------------------------------------------------
