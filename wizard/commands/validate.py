"""`zelfscan validate`: check a questionnaire, a module or answers files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard.errors import (
    Problem,
    ValidationError,
    ZelfscanError,
    crash_report,
    os_hint,
    os_reason,
)
from wizard.files.yamlio import load_yaml
from wizard.questionnaire import model
from wizard.questionnaire.loader import MODULE_KEYS, load_module, load_questionnaire


def _count(q: model.Questionnaire) -> str:
    n_s = len(q.sections)
    n_q = sum(1 for _ in q.questions())
    return f"{n_s} {'sectie' if n_s == 1 else 'secties'}, {n_q} {'vraag' if n_q == 1 else 'vragen'}"


def _privacy(q: model.Questionnaire, answers: Any) -> str:
    """The privacy findings (persons, cases, personal data) under the OK line: file:line
    and question, never the value (issue 14)."""
    from wizard.answers.screen import terminal_lines

    return "".join("\n" + line for line in terminal_lines(q, answers))


def _validate_file(name: str, reference: Path | None) -> str:
    """Validate one file; the OK line, or raise ZelfscanError."""
    path = Path(name)
    if name.lower().endswith((".xlsx", ".xlsm")):
        # A workbook from `zelfscan blank --xlsx`: batch reads it, so validate must too.
        from wizard.answers.xlsx import read_answers_xlsx

        q = load_questionnaire(reference)
        ans = read_answers_xlsx(path, q)
        n = len(ans.values)
        return (f"OK: {path} — antwoordbestand (Excel), "
                f"{n} {'antwoord' if n == 1 else 'antwoorden'}" + _privacy(q, ans))
    doc = load_yaml(path, what="bestand")
    data = doc.data
    if isinstance(data, dict) and "antwoorden" in data:
        try:
            from wizard.answers import store as answers
        except ModuleNotFoundError as e:
            if e.name != "wizard.answers.store":
                raise
            raise ZelfscanError(
                "dit lijkt een antwoordbestand, maar antwoordbestanden controleren kan deze "
                "versie nog niet", file=path) from None
        q = load_questionnaire(reference)
        ans = answers.load_answers(path, q)
        n = len(getattr(ans, "values", {}) or {})
        return (f"OK: {path} — antwoordbestand, {n} {'antwoord' if n == 1 else 'antwoorden'}"
                + _privacy(q, ans))
    if isinstance(data, dict) and "groepen" in data:
        from wizard.answers.casewords import load_case_words

        words = load_case_words(path)
        n = sum(1 for e in words.phrases.values() if e is not None) + len(words.prefixes)
        return (f"OK: {path} — casuswoorden, {len(words.groups)} groepen, {n} woorden, "
                f"{len(words.patterns)} patronen")
    if isinstance(data, dict) and ("modules" in data or "schalen" in data):
        return f"OK: {path} — {_count(load_questionnaire(path))}"
    if isinstance(data, dict) and ("secties" in data or set(data) & set(MODULE_KEYS)):
        ref = load_questionnaire(reference)
        # Questions from the other modules may be referred to in conditions.
        mod_q = load_module(path, dict(ref.scales), {q.id for q in ref.questions()})
        return f"OK: {path} — {_count(mod_q)}"
    if not isinstance(data, dict):
        kind = "een lijst" if isinstance(data, list) else "een losse waarde"
        raise ZelfscanError(
            f"het bestand moet sleutels hebben (zoals 'modules:', 'secties:' of 'antwoorden:'), "
            f"niet {kind}", file=path, line=doc.line(),
            hint="Vergelijk het begin van het bestand met de ingebouwde vragenlijst.")
    raise ZelfscanError(
        "onbekend soort bestand: geen vragenlijst ('modules:'), module ('secties:') of "
        "antwoordbestand ('antwoorden:')", file=path, line=1,
        hint="Geef het hoofdbestand zelfscan.yaml, een module of een antwoordbestand op.")


def command_validate(args: Any) -> int:
    """`zelfscan validate [BESTAND...]`: print an OK line per file or raise ValidationError.

    The first line always says which questionnaire was used (issue 14): the built-in one
    or an own copy, and how it was chosen, so an edit that has no effect is noticed."""
    reference = getattr(args, "vragenlijst", None)
    ref_path = Path(reference) if reference else None
    choice = getattr(args, "vragenlijst_keuze", None)
    if choice is None:
        from wizard.questionnaire.source import choose

        choice = choose(reference, {})
    files = list(getattr(args, "bestanden", None) or [])
    print(f"Vragenlijst: {choice.describe()}")
    if not files:
        q = load_questionnaire(ref_path)
        # The rule files belong to the questionnaire: check them too (file:line errors).
        from wizard.answers.casewords import case_words_path, load_case_words
        from wizard.assessment import advice, scoring

        advice.load_rules(q, config=scoring.load_config(q))
        from wizard.plan.texts import load_texts

        load_texts(q)  # the plan's fixed texts (plan.yaml)
        words = case_words_path(q)
        load_case_words(words)
        print(f"OK: {q.source_file} — {_count(q)}; regels voor scoring, advies en ondersteuning, "
              f"de plantekst en de casuswoorden ({words.name}) ook in orde")
        return 0
    problems: list[Problem] = []
    failed = 0
    for name in files:
        try:
            print(_validate_file(name, ref_path))
        except ZelfscanError as e:
            failed += 1
            problems.extend(e.problems)
        except OSError as e:  # a file that cannot be read: the user's to fix, in Dutch
            failed += 1
            problems.append(Problem(f"lezen is mislukt ({os_reason(e)})", name, None,
                                    os_hint(e)))
        except Exception:  # noqa: BLE001 - one file's internal error must not hide the others
            failed += 1
            report = crash_report(f"Bestand: {name}")
            problems.append(Problem(
                "er ging iets mis in Zelfscan zelf bij dit bestand (een interne fout); de "
                "andere bestanden zijn wel gecontroleerd", name, None,
                f"Stuur het foutverslag {report} naar de beheerder."))
    if problems:
        n = len(problems)
        found = f"{n} {'fout' if n == 1 else 'fouten'}"
        head = (f"{files[0]}: {found} gevonden" if len(files) == 1 else
                f"{failed} van {len(files)} bestanden bevat{'ten' if failed != 1 else ''} "
                f"fouten ({found} in totaal)")
        raise ValidationError(
            problems, summary=f"{head}. Verbeter ze en voer 'zelfscan validate' opnieuw uit.")
    return 0
