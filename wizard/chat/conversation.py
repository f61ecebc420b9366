"""The conversation: what the bot says, what it asks, what it does with the answer.

Front-end neutral (see wizard.chat.frontend): no prompt_toolkit here, so a plain line-based
front end can reuse all of it. The engine (wizard.assessment.engine.Session) holds the state; this
module saves after every change, so a killed process loses at most the answer being typed.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wizard.answers.store import Answers, load_answers, save_answers
from wizard.assessment.engine import Session
from wizard.chat import parse
from wizard.chat.frontend import BOT, ERROR, GOOD, HEADING, HINT, OPTION, QUESTION, Ask, Frontend
from wizard.errors import EXIT_INTERRUPTED, EXIT_OK, ZelfscanError
from wizard.questionnaire.model import CHOICE, NUMBER, SCALE, TEXT, Question, Questionnaire

GEMEENTE = "intake.gemeente"
ROLE_QUESTION = "intake.rol"
SESSION_FOLDER = "sessies"
KEY_HINTS = "F1/? uitleg · F2 terug · F3 overslaan · F4 overzicht · :hulp opdrachten"


class _Stop(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _now() -> str:
    return _dt.datetime.now().replace(microsecond=0).isoformat()


def _today() -> str:
    return _dt.date.today().isoformat()


def folder_name(name: str) -> str:
    """The per-municipality folder name batch mode uses too."""
    from wizard.files.safepath import safe_folder_name

    return safe_folder_name(name)


def show_path(p: Path) -> str:
    """A path as the user can paste it into a command (quoted when it holds spaces)."""
    s = str(p)
    return f'"{s}"' if any(c.isspace() for c in s) else s


def nl_level(value: float | None) -> str:
    if value is None:
        return "onbekend"
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0")


def _in_words(text: str) -> str:
    """A warning says so in words, not only in red (and not at all without colour)."""
    return text if text.startswith("Let op") else "Let op: " + text


class Chat:
    """One chat session. `run()` returns the exit code."""

    def __init__(
        self,
        q: Questionnaire,
        fe: Frontend,
        *,
        base_dir: Path,
        role: str | None = None,
        answers: Answers | None = None,
        session_path: Path | None = None,
        now: Callable[[], str] = _now,
        today: Callable[[], str] = _today,
    ) -> None:
        self.q = q
        self.fe = fe
        # Plain front end (screen readers): no keys but Enter, no toolbar, no prefilled input.
        self.plain = bool(getattr(fe, "plain", False))
        self.base_dir = Path(base_dir)
        self.role = role
        self.now = now
        self.resumed = answers is not None
        self.answers = answers if answers is not None else Answers.empty(q, today())
        if not self.answers.date:  # set once, at the start of the assessment
            self.answers.date = today()
        self.path = Path(session_path) if session_path else None
        self._prefill_role()
        self.session = Session(q, self.answers)
        self._participant: dict[str, Any] = {"rol": role or "onbekend", "vanaf": now()}
        self._add_participant()
        self._shown: str | None = None  # id of the question whose text is on screen
        self._section: str | None = None
        self._after_jump = False
        self._remind = False  # after a long command output: repeat the question briefly
        self._config: Any = None
        # An earlier unfinished session file for this municipality, while we ask whether to
        # continue it (nothing of this chat is saved yet then).
        self._offered: Path | None = None

    # ------------------------------------------------------------------ plumbing

    def say(self, text: str, style: str = BOT) -> None:
        if style == ERROR:
            text = _in_words(text)
        width = max(20, min(self.fe.width, 80) - 1)
        lines: list[str] = []
        for para in text.split("\n"):
            indent = len(para) - len(para.lstrip(" "))
            lines += textwrap.wrap(para, width, subsequent_indent=" " * (indent + 2),
                                   break_on_hyphens=False, break_long_words=False) or [""]
        self.fe.say("\n".join(lines), style)

    def _read(self, req: Ask) -> str:
        """Ask; Ctrl-C asks whether to stop, Ctrl-D / a closed terminal stops.

        What was being typed when Ctrl-C came (the front end's `draft`) is offered again
        when the user goes on: prefilled in the input, or (plain mode) shown and continued.
        """
        ask = req
        while True:
            try:
                return self.fe.ask(ask)
            except KeyboardInterrupt:
                draft = str(getattr(self.fe, "draft", "") or "")
                self._confirm_stop()
                ask = dataclasses.replace(req, draft=draft) if draft.strip() else req
                if draft.strip():
                    self._show_draft(draft, multiline=req.multiline)
            except EOFError:
                self._stop(EXIT_OK)

    def _show_draft(self, draft: str, *, multiline: bool) -> None:
        if not self.plain:
            self.say("Wat u al had getypt, staat weer in de invoer.", HINT)
            return
        self.say("Wat u al had getypt:", HINT)
        for line in draft.split("\n"):
            self.say("  " + line)
        if multiline:
            self.say("Typ verder; dat komt eronder. Klaar: een lege regel of een regel met "
                     "alleen een punt.", HINT)

    def _heading(self, title: str, *, section: bool = False) -> None:
        if self.plain:
            # A screen reader would read the line-drawing characters aloud, one by one.
            self.say(f"Onderdeel: {title}" if section else title, HEADING)
        else:
            self.say(f"── {title} ──", HEADING)

    def _toolbar(self) -> tuple[str, ...]:
        p = self.session.progress()
        if self.session.current is None:
            first = f"Nakijken · {p.answered} van {p.total} beantwoord ({p.percent}%)"
        else:
            first = (f"{p.section_title} · vraag {p.position} van {p.total} · "
                     f"{p.percent}% beantwoord")
        width = max(20, min(self.fe.width, 80) - 1)
        if len(first) > width:
            first = first[: width - 1] + "…"
        return (first, KEY_HINTS)

    def _confirm_stop(self) -> None:
        if self.path is not None:
            self.say(f"Wilt u stoppen? Uw antwoorden zijn bewaard in {show_path(self.path)} "
                     "(j/n)")
        elif self._offered is not None:
            # The name is known, but we are still asking which session file to use.
            self.say("Wilt u stoppen? Van dit nieuwe gesprek is nog niets bewaard; het "
                     f"eerdere gesprek in {show_path(self._offered)} blijft zoals het is. "
                     "(j/n)")
        else:
            self.say("Wilt u stoppen? Er is nog niets bewaard, want de naam van de gemeente "
                     "ontbreekt nog. (j/n)")
        while True:
            try:
                line = self.fe.ask(Ask(prompt="Stoppen? (j/n) > ", toolbar=self._toolbar()))
            except (KeyboardInterrupt, EOFError):
                self._stop(EXIT_OK)  # a second Ctrl-C: stop without asking again
            yes = parse.parse_yes_no(line)
            if yes is True:
                self._stop(EXIT_OK)
            if yes is False:
                self.say("Goed, we gaan verder.")
                self._shown = None
                return
            self.say("Typ j (ja, stoppen) of n (nee, verder).", ERROR)

    def _stop(self, code: int) -> None:
        """End the chat at a prompt, keeping everything answered.

        Exit codes, the same for every way of stopping at a prompt (:stop, Ctrl-C then j,
        Ctrl-C twice, Ctrl-D, a closed input): 0, with the 'zelfscan resume' hint. Stopping
        halfway is a normal, supported way to use the chat -- every answer is already saved
        and nothing failed. A non-zero code is left for errors, and 130 for an interrupt that
        cut work short (Ctrl-C while the plan was being written, or a stop signal).
        """
        if self.path is not None:
            self._save()
            self.say(f"Uw antwoorden zijn bewaard in {show_path(self.path)}.")
            self.say(f"Later verder gaan: zelfscan resume {show_path(self.path)}", HINT)
        elif self._offered is not None:
            self.say("Gestopt. Van dit nieuwe gesprek is niets bewaard; het eerdere gesprek "
                     f"staat nog in {show_path(self._offered)}.")
            self.say(f"Daarmee verder gaan: zelfscan resume {show_path(self._offered)}", HINT)
        else:
            self.say("Gestopt. Er was nog niets om te bewaren.")
        raise _Stop(code)

    def _ask_yes_no(self, prompt: str = "(j/n) > ") -> bool:
        while True:
            answer = parse.parse_yes_no(self._read(Ask(prompt=prompt, toolbar=self._toolbar())))
            if answer is not None:
                return answer
            self.say("Typ j (ja) of n (nee).", ERROR)

    # ------------------------------------------------------------------ saving

    def _prefill_role(self) -> None:
        """`--rol` answers the intake question about who answers, so it is not asked."""
        if (self.role and self.q.has_question(ROLE_QUESTION)
                and ROLE_QUESTION not in self.answers.values):
            question = self.q.question(ROLE_QUESTION)
            if self.role in [o.value for o in question.options]:
                self.answers.values[ROLE_QUESTION] = self.role

    def _add_participant(self) -> None:
        deelnemers = self.answers.session.setdefault("deelnemers", [])
        if not isinstance(deelnemers, list):
            deelnemers = self.answers.session["deelnemers"] = []
        deelnemers.append(self._participant)

    def _save(self) -> None:
        if self.role is None:
            answered_role = self.answers.values.get(ROLE_QUESTION)
            if isinstance(answered_role, str):
                self._participant["rol"] = answered_role
        if self.path is None:
            if not self.answers.municipality:
                return  # nothing to name the file after yet
            self._choose_path()
            if self.path is None:
                return
        self.answers.session.setdefault("status", "bezig")
        save_answers(self.answers, self.path, self.q)

    def _choose_path(self) -> None:
        """Name the session file after the municipality; offer an unfinished one first."""
        name = str(self.answers.municipality)
        folder = self.base_dir / SESSION_FOLDER
        stem = folder_name(name)
        candidate = folder / f"{stem}.yaml"
        if candidate.exists():
            try:
                old = load_answers(candidate, self.q, require_complete=False)
            except ZelfscanError:
                self.say(f"Er staat al een sessiebestand {show_path(candidate)}, maar dat kan "
                         "ik niet lezen. Ik laat het ongemoeid en bewaar dit gesprek in een "
                         "nieuw bestand.", ERROR)
            else:
                if old.session.get("status") != "klaar":
                    n = len(old.values)
                    self.say(f"Er is een eerder gesprek voor {old.municipality or name} dat nog "
                             f"niet af is ({n} antwoorden, in {show_path(candidate)}). "
                             "Wilt u daarmee verder gaan? (j/n)")
                    self._offered = candidate
                    try:
                        go_on = self._ask_yes_no()
                    finally:
                        self._offered = None
                    if go_on:
                        self._adopt(old, candidate)
                        return
                    self.say("Dan begint u opnieuw. Het eerdere gesprek blijft bewaard.")
                else:
                    self.say(f"Voor {name} is al een afgerond gesprek bewaard "
                             f"({show_path(candidate)}). Dit nieuwe gesprek bewaar ik apart.")
            n = 2
            while candidate.exists():
                candidate = folder / f"{stem}-{n}.yaml"
                n += 1
        self.path = candidate
        self.answers.session["status"] = "bezig"
        self.say(f"Elk antwoord wordt meteen bewaard in {show_path(candidate)}.", HINT)

    def _adopt(self, old: Answers, path: Path) -> None:
        """Continue an earlier session file instead of the fresh one."""
        self.answers = old
        self.path = path
        self._prefill_role()
        self.session = Session(self.q, self.answers)
        self._add_participant()
        self.answers.session["status"] = "bezig"
        save_answers(self.answers, self.path, self.q)
        p = self.session.progress()
        self.say(f"Welkom terug. {p.answered} van de {p.total} vragen zijn al beantwoord; "
                 "we gaan verder bij de eerste open vraag.", GOOD)
        self._shown = None

    # ------------------------------------------------------------------ main flow

    def run(self) -> int:
        try:
            self._begin()
            while True:
                cur = self.session.current
                if cur is None:
                    if self._review():
                        return self._finish()
                    continue
                self._enter_section(cur)
                self._ask_question(cur)
        except _Stop as stop:
            return stop.code

    def _begin(self) -> None:
        if self.resumed:
            p = self.session.progress()
            name = self.answers.municipality or "uw gemeente"
            self.say(f"Welkom terug bij de Zelfscan voor {name}. {p.answered} van de {p.total} "
                     "vragen zijn beantwoord; we gaan verder waar u was gebleven.", GOOD)
            self.say("Typ :hulp voor alle opdrachten.", HINT)
            if self.path is not None:
                self.answers.session["status"] = "bezig"
                self._save()
            return
        self.say("Hallo! Ik ben de Zelfscan-assistent.", GOOD)
        self.say("Samen brengen we de aanpak van radicalisering en extremisme in uw gemeente in "
                 "beeld: de dreiging tegenover de weerbaarheid. Aan het eind krijgt u een "
                 "concept plan van aanpak.")
        self.say("Elk antwoord wordt meteen bewaard. Weet u iets niet? Typ w. Uitleg bij een "
                 "vraag: ?. Alle opdrachten: :hulp.", HINT)

    def _enter_section(self, cur: Question) -> None:
        if cur.section_id == self._section:
            return
        self._section = cur.section_id
        sec = self.q.section(cur.section_id)
        self.say("")
        self._heading(sec.title, section=True)
        intro = " ".join(sec.intro.split())
        if len(intro) > 240:  # one line in the chat; the rest is behind '?'
            intro = intro.split(". ")[0].rstrip(".") + "."
        if intro:
            self.say(intro)

    def _ask_question(self, cur: Question) -> None:
        if self._shown != cur.id:
            self._show_question(cur)
            self._shown = cur.id
        elif self._remind:
            self._short_reminder(cur)
        self._remind = False
        existing = self.answers.values.get(cur.id)
        line = self._read(Ask(
            prompt="> ",
            options=tuple(parse.cycle_items(cur)),
            multiline=self._multiline(cur),
            toolbar=self._toolbar(),
        ))
        cmd = parse.parse_command(line)
        if cmd is not None:
            self._command(cmd, cur)
            return
        if not line.strip():
            if existing is not None:
                self._store(cur, existing)  # Enter keeps the answer and moves on
                return
            self.say(parse.what_to_type(cur, arrows=not self.plain) + " Overslaan: :over.",
                     ERROR)
            return
        try:
            value = parse.parse_answer(cur, line, arrows=not self.plain)
        except parse.AnswerError as e:
            self.say(str(e), ERROR)
            return
        self._store(cur, value)

    def _multiline(self, question: Question) -> bool:
        # Intake answers are short (a name); everything else may take several lines.
        return question.kind == TEXT and self.q.section(question.section_id).kind != "intake"

    def _user_error(self, e: ZelfscanError, question: Question) -> str:
        """The engine's message names the question by its id; the user knows its number."""
        problem = e.problem
        prefix = f"{question.id}: "
        if problem.message.startswith(prefix):
            message = f"Vraag {self._number(question.id)}: " + problem.message[len(prefix):]
            problem = dataclasses.replace(problem, message=message)
        return problem.format()

    def _store(self, cur: Question, value: Any) -> None:
        try:
            dropped = self.session.answer(value)
        except ZelfscanError as e:
            self.say(self._user_error(e, cur), ERROR)
            return
        # Saved once, by _after_move() (which may still move on after a :ga jump): one
        # YAML dump and fsync per answer instead of two.
        self._warn_personal_data(value)
        self._report_dropped(dropped)
        self._after_move()

    def _warn_personal_data(self, value: Any) -> None:
        if isinstance(value, str):
            from wizard.answers import privacy

            warning = privacy.chat_warning(privacy.find_personal_data(value))
            if warning:
                self.say(warning + " Aanpassen: :terug.", ERROR)

    def _after_move(self) -> None:
        finished = self.session.just_finished
        if finished is not None:
            self._reflect(finished.id)
            if self.plain:  # no toolbar: say where we are instead
                p = self.session.progress()
                self.say(f"Voortgang: {p.answered} van de {p.total} vragen beantwoord "
                         f"({p.percent}%).")
        if self._after_jump:
            # A question reached with :ga is answered: back to where the work is.
            self._after_jump = False
            first = self.session.first_unanswered()
            cur = self.session.current
            if first is None:
                if cur is not None and cur.id in self.answers.values:
                    self._go_review_position()
            elif cur is None or cur.id != first.id:
                self.session.jump(first.id)
                self.say(f"Verder met de eerste open vraag ({self._number(first.id)}).", HINT)
        self._save()

    def _go_review_position(self) -> None:
        # Everything is answered or skipped: move past the last question, into the review.
        last = self.session.visible()[-1]
        self.session.jump(last.id)
        self.session.skip()  # keeps an existing answer; only moves on

    def _report_dropped(self, dropped: list[str]) -> None:
        if not dropped:
            return
        self.say("Door dit antwoord gelden deze vragen niet meer; hun antwoorden tellen niet "
                 "meer mee (ze blijven bewaard voor als het weer verandert):")
        for qid in dropped:
            self.say(f"  - {self._short(self.q.question(qid))}")

    def _number(self, qid: str) -> int:
        for i, qu in enumerate(self.session.visible(), start=1):
            if qu.id == qid:
                return i
        return 0

    def _short(self, question: Question, width: int = 60) -> str:
        text = " ".join(question.text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    def _show_question(self, cur: Question, *, editing: bool = False) -> None:
        p = self.session.progress()
        # The question's own number: when editing from the review, the position is the end.
        number = p.position if cur is self.session.current else self._number(cur.id)
        self.say("")
        self.say(f"Vraag {number} van {p.total}: {' '.join(cur.text.split())}", QUESTION)
        if cur.kind == SCALE and cur.scale_id and cur.scale_id in self.q.scales:
            desc = self.q.scales[cur.scale_id].description
            if desc and desc.strip() != cur.text.strip():
                self.say(desc, HINT)
        for key, _value, label in parse.option_keys(cur):
            self.say(f"  {key:>2}  {label}", OPTION)
        existing = self.answers.values.get(cur.id)
        if self._multiline(cur):
            finish = ("Druk op Enter op een lege regel, of typ een regel met alleen een punt"
                      if self.plain else "Druk op Enter op een lege regel (of Alt-Enter)")
            self.say(f"Meerdere regels mogen. Klaar? {finish}."
                     + (" Uitleg: ?" if self._has_help(cur) else ""), HINT)
        elif cur.kind == TEXT:
            self.say("Typ uw antwoord en druk op Enter."
                     + (" Uitleg: ?" if self._has_help(cur) else ""), HINT)
        elif cur.kind in (SCALE, CHOICE):
            how = "" if self.plain else ", of kies met ↑/↓"
            self.say(f"Typ het nummer of de letter{how} en druk op Enter."
                     + (" Uitleg: ?" if self._has_help(cur) else ""), HINT)
        elif cur.kind == NUMBER:
            self.say(parse.what_to_type(cur, arrows=not self.plain)
                     + (" Uitleg: ?" if self._has_help(cur) else ""), HINT)
        if existing is not None:
            shown = parse.format_value(cur, existing)
            extra = " (staat klaar in de invoer om te bewerken)" if editing and \
                cur.kind == TEXT else "; Enter = zo laten"
            if self.plain and cur.kind == TEXT:
                # Nothing can be prefilled: show it whole; typing replaces it.
                shown = str(existing)
                extra = ("; typ de nieuwe tekst, of alleen Enter om het zo te laten"
                         if editing else "; Enter = zo laten")
            self.say(f"Huidig antwoord: {shown}{extra}.", HINT)
        if cur.id in self.answers.notes:
            self.say("Notitie: " + " ".join(self.answers.notes[cur.id].split()), HINT)
        if cur.id in self.answers.marked:
            self.say("Gemarkeerd om te bespreken.", HINT)

    def _short_reminder(self, cur: Question) -> None:
        p = self.session.progress()
        keys = [k for k, _, _ in parse.option_keys(cur)]
        what = ""
        if len(keys) > 1:
            what = f" ({keys[0]} t/m {keys[-1]})" if all(k.isdigit() for k in keys) else \
                " (" + ", ".join(keys) + ")"
        self.say(f"Terug naar vraag {p.position}: {self._short(cur, 56)}{what}", QUESTION)

    def _has_help(self, cur: Question) -> bool:
        return bool(cur.help.strip() or self.q.section(cur.section_id).how.strip())

    # ------------------------------------------------------------------ reflection

    def _profile(self) -> Any:
        from wizard.assessment import scoring

        if self._config is None:
            self._config = scoring.load_config(self.q)
        return scoring.score(self.q, self.answers, self._config)

    def _reflect(self, section_id: str) -> None:
        sec = self.q.section(section_id)
        if sec.kind == "component":
            comp = self._profile().component(section_id)
            status = {"op orde": "op orde", "tekort": "nog niet op het nodige niveau",
                      "onbekend": "nog onbekend"}.get(comp.status, comp.status)
            # Green only for 'op orde': a colour must never contradict the words.
            style = GOOD if comp.status == "op orde" else BOT
            if comp.level is None:
                self.say(f"{sec.title}: niveau nog onbekend (nodig: {comp.required}); "
                         f"{comp.unknown} keer 'weet niet' of open.", style)
            else:
                top = max((int(o.value) for qu in sec.statements() for o in qu.options),
                          default=4)
                self.say(f"{sec.title}: niveau {nl_level(comp.level)} van {top} "
                         f"(nodig: {comp.required}), {status}.", style)
        elif sec.kind == "dreiging":
            t = self._profile().threat
            self.say(f"Dreiging tot nu toe: {t.label.lower()} ({t.known} van de {t.total} "
                     "vragen met een bekend antwoord).")

    # ------------------------------------------------------------------ commands

    def _command(self, cmd: parse.Command, cur: Question | None) -> None:
        name = cmd.name
        if name == "":
            self.say(f"Onbekende opdracht '{cmd.raw}'. Typ :hulp voor de lijst.", ERROR)
        elif name == "terug":
            if cur is None:
                last = self.session.visible()[-1]
                self.session.jump(last.id)
            elif not self.session.back():
                self.say("Dit is de eerste vraag.", ERROR)
            self._after_jump = False
            self._save()
        elif name == "over":
            if cur is None:
                return
            if cur.required and cur.id not in self.answers.values:
                self.say("Deze vraag is verplicht; zonder antwoord kan het plan niet worden "
                         "gemaakt.", ERROR)
                return
            self.session.skip()
            self._after_move()
        elif name == "ga":
            self._jump(cmd.arg)
        elif name == "overzicht":
            self._overview()
        elif name == "nakijken":
            if self._review():
                raise _Stop(self._finish())
            self._shown = None
        elif name == "notitie":
            self._note(cur, cmd.arg)
        elif name == "bespreek":
            if cur is None:
                self.say("Kies eerst een vraag met :ga <nr>.", ERROR)
                return
            on = self.session.toggle_mark(cur.id)
            self._save()
            self.say("Gemarkeerd om te bespreken; dit komt bij de open punten in het plan."
                     if on else "Markering 'bespreken' weggehaald.", GOOD)
        elif name == "uitleg":
            self._explain(cur)
        elif name == "definities":
            self._definitions()
        elif name == "voortgang":
            self._progress()
        elif name == "hulp":
            self._help()
        elif name == "stop":
            self._stop(EXIT_OK)
        elif name == "klaar" and cur is not None:
            self.say("Het plan maakt u na het nakijken. Typ :nakijken om alle antwoorden "
                     "te zien en daarna :klaar.", HINT)

    def _resolve(self, arg: str) -> Question | None:
        vis = self.session.visible()
        arg = arg.strip()
        if arg.isdigit():
            n = int(arg)
            if 1 <= n <= len(vis):
                return vis[n - 1]
            self.say(f"Er is geen vraag {n}; kies 1 t/m {len(vis)} (zie :overzicht).", ERROR)
            return None
        if not arg:
            self.say("Zeg welke vraag: :ga <nummer>, bijvoorbeeld :ga 12 (zie :overzicht).",
                     ERROR)
            return None
        if self.q.has_question(arg):
            if not self.session.is_visible(arg):
                self.say("Die vraag geldt nu niet: ze hoort bij een eerder antwoord dat anders "
                         "is ingevuld.", ERROR)
                return None
            return self.q.question(arg)
        matches = [qu for qu in vis if arg.lower() in qu.id]
        if len(matches) == 1:
            return matches[0]
        self.say(f"Vraag '{arg}' niet gevonden. Typ :overzicht voor de nummers.", ERROR)
        return None

    def _jump(self, arg: str) -> None:
        target = self._resolve(arg)
        if target is None:
            return
        self.session.jump(target.id)
        self._after_jump = True
        self._shown = None
        self._save()

    def _overview(self, *, answers_only: bool = False) -> None:
        section = None
        for i, qu in enumerate(self.session.visible(), start=1):
            if qu.section_id != section:
                section = qu.section_id
                self.say(self.q.section(section).title, HEADING)
            flags = (" [bespreken]" if qu.id in self.answers.marked else "") + \
                (" [notitie]" if qu.id in self.answers.notes else "")
            value = self.answers.values.get(qu.id)
            room = max(10, min(self.fe.width, 80) - 1 - 5 - 36 - 3 - len(flags))
            if value is None:
                state = "overgeslagen" if qu.id in self.answers.skipped else "open"
                shown = f"({state})"
            else:
                shown = parse.format_value(qu, value, room)
            self.say(f"{i:>3}. {self._short(qu, 36)} — {shown}{flags}", OPTION)
        self._remind = True

    def _note(self, cur: Question | None, arg: str) -> None:
        if cur is None:
            self.say("Kies eerst een vraag met :ga <nr>, en typ daar :notitie.", ERROR)
            return
        text = arg
        if not text:
            old = self.answers.notes.get(cur.id, "")
            finish = "een lege regel of een regel met alleen een punt" if self.plain else \
                "Enter op een lege regel"
            self.say(f"Typ de notitie bij deze vraag. Klaar: {finish}. "
                     "Leeg laten = niets veranderen; alleen een - = notitie wissen.", HINT)
            if old:
                self.say("Huidige notitie: " + " ".join(old.split()), HINT)
            text = self._read(Ask(prompt="notitie> ", multiline=True, toolbar=self._toolbar()))
            if not text.strip():
                self.say("Notitie niet veranderd.")
                return
        if text.strip() == "-":
            self.session.note(cur.id, None)
            self._save()
            self.say("Notitie gewist.", GOOD)
            return
        text = "\n".join(x.rstrip() for x in text.strip().splitlines())
        self.session.note(cur.id, text)
        self._save()
        self.say("Notitie bewaard; die komt bij deze vraag in het plan.", GOOD)
        self._warn_personal_data(text)

    def _explain(self, cur: Question | None) -> None:
        if cur is None:
            self.say("Kies eerst een vraag (:ga <nr>) voor uitleg.", HINT)
            return
        sec = self.q.section(cur.section_id)
        said = False
        if cur.help.strip():
            self.say("Uitleg bij deze vraag:", HEADING)
            self.say(cur.help.strip())
            said = True
        if sec.how.strip() and sec.how.strip() != cur.help.strip():
            self.say(f"Wat het sjabloon zegt over '{sec.title}' (Hoe):", HEADING)
            self.say(sec.how.strip())
            said = True
        if not said:
            self.say("Bij deze vraag is geen extra uitleg.")
        self._remind = True

    def _definitions(self) -> None:
        if not self.q.definitions:
            self.say("Deze vragenlijst bevat geen definities.")
            return
        for d in self.q.definitions:
            self.say(d.term, HEADING)
            self.say(" ".join(d.text.split()))
            if d.source:
                self.say(f"(Bron: {d.source})", HINT)
        self._remind = True

    def _progress(self) -> None:
        p = self.session.progress()
        self.say(f"{p.answered} van de {p.total} vragen beantwoord ({p.percent}%).", GOOD)
        for sec in self.q.sections:
            qs = [qu for qu in self.session.visible() if qu.section_id == sec.id]
            if not qs:
                continue
            done = sum(1 for qu in qs if qu.id in self.answers.values)
            self.say(f"  {sec.title}: {done} van {len(qs)}", OPTION)
        self._remind = True

    def _help(self) -> None:
        self.say("Opdrachten (typ ze als antwoord, met de dubbele punt ervoor):", HEADING)
        for name, (_aliases, arg, _desc) in parse.COMMANDS.items():
            left = f":{name}" + (f" {arg}" if arg else "")
            self.say(f"  {left:<16} {parse.describe(name, keys=not self.plain)}", OPTION)
        self.say("Antwoorden: een cijfer of nummer; w = weet niet; n = niet van toepassing "
                 "(als dat mag). Ctrl-C vraagt of u wilt stoppen; alles blijft bewaard.", HINT)
        if self.plain:
            self.say("Tekst van meerdere regels: klaar met een lege regel, of met een regel "
                     "met alleen een punt.", HINT)
        self._remind = True

    # ------------------------------------------------------------------ review and end

    def _review(self) -> bool:
        """All answers, any of them changeable. True = write the plan now."""
        open_count = len([qu for qu in self.session.unanswered()])
        self.say("")
        self._heading("Nakijken")
        if open_count:
            self.say(f"Nog {open_count} vraag/vragen zonder antwoord (open of overgeslagen).")
        self._overview()
        self.say("Typ een nummer om dat antwoord te wijzigen, :klaar om het plan te maken, "
                 ":ga <nr> om vanaf die vraag verder te gaan.", HINT)
        while True:
            line = self._read(Ask(prompt="nakijken> ", toolbar=self._toolbar()))
            cmd = parse.parse_command(line)
            text = line.strip()
            if cmd is not None:
                if cmd.name == "klaar":
                    return True
                if cmd.name == "ga":
                    self._jump(cmd.arg)
                    if self._after_jump:  # the jump worked
                        return False
                    continue
                if cmd.name == "terug":
                    if self.session.current is None:
                        self.session.jump(self.session.visible()[-1].id)
                    self._shown = None
                    return False
                if cmd.name in ("overzicht", "nakijken"):
                    self._overview()
                    continue
                if cmd.name in ("notitie", "bespreek", "over", "uitleg"):
                    self.say("Kies eerst een vraag met :ga <nr>.", ERROR)
                    continue
                self._command(cmd, None)
                continue
            if text.isdigit():
                target = self._resolve(text)
                if target is not None:
                    self._edit(target)
                continue
            if not text:
                self.say("Typ een nummer, of :klaar om het plan te maken.", HINT)
                continue
            self.say(f"'{text}' begrijp ik hier niet. Typ een nummer uit de lijst, of :klaar.",
                     ERROR)

    def _edit(self, target: Question) -> None:
        before = {qu.id for qu in self.session.visible()}
        self._show_question(target, editing=True)
        existing = self.answers.values.get(target.id)
        while True:
            line = self._read(Ask(
                prompt="nieuw antwoord> ",
                options=tuple(parse.cycle_items(target)),
                multiline=self._multiline(target),
                toolbar=self._toolbar(),
                default=existing if target.kind == TEXT and isinstance(existing, str) else "",
            ))
            cmd = parse.parse_command(line)
            if cmd is not None and cmd.name == "uitleg":
                self._explain(target)
                continue
            if cmd is not None or not line.strip():
                self.say("Niets veranderd.")
                return
            try:
                value = parse.parse_answer(target, line, arrows=not self.plain)
                dropped = self.session.set(target.id, value)
            except parse.AnswerError as e:
                self.say(str(e), ERROR)
                continue
            except ZelfscanError as e:
                self.say(self._user_error(e, target), ERROR)
                continue
            break
        self._save()
        self.say(f"Gewijzigd: {parse.format_value(target, self.answers.values.get(target.id))}.",
                 GOOD)
        self._report_dropped(dropped)
        new = [qu for qu in self.session.visible() if qu.id not in before]
        if new:
            self.say("Door deze wijziging zijn er vragen bijgekomen:")
            for qu in new:
                self.say(f"  {self._number(qu.id)}. {self._short(qu)}")
            self.say("Beantwoord ze met :ga <nr>.", HINT)

    def _finish(self) -> int:
        from wizard.assessment import advice, scoring
        from wizard.plan.render import write_outputs

        if self.path is None:  # cannot happen: the municipality is a required question
            raise ZelfscanError("de naam van de gemeente ontbreekt; er is niets om te maken")
        # 'klaar' only once the plan is written: a stop or Ctrl-C before that leaves the
        # session 'bezig', so `zelfscan start` offers it again. The plan never reads status.
        self.session.answers.session.pop("huidige_vraag", None)
        self._save()
        fresh = load_answers(self.path, self.q)  # exactly what `zelfscan batch` would read
        # The outputs hold a copy of the answers: as they will be saved once written.
        fresh.session["status"] = "klaar"
        profile = scoring.score(self.q, fresh, scoring.load_config(self.q))
        adv = advice.advise(self.q, fresh, profile, advice.load_rules(self.q))
        self._summary(profile, adv)
        self._chart(profile)
        out_dir = self.base_dir / folder_name(str(fresh.municipality))
        if (out_dir / "plan.md").exists():
            self.say(f"In {show_path(out_dir)} staat al een plan. Overschrijven? (j/n)")
            if not self._ask_yes_no():
                self.say("Er is niets overschreven. Het plan maken kan later met:")
                self.say(f"  zelfscan batch {show_path(self.path)} --uitvoer "
                         f"{show_path(self.base_dir)} --force", HINT)
                return EXIT_OK
        try:
            files = write_outputs(self.q, fresh, out_dir, force=True)
        except KeyboardInterrupt:
            self.say("Onderbroken: het plan is niet (helemaal) gemaakt. Uw antwoorden zijn "
                     f"bewaard in {show_path(self.path)}.", ERROR)
            self.say(f"Het plan alsnog maken: zelfscan resume {show_path(self.path)}", HINT)
            return EXIT_INTERRUPTED
        self.answers.session["status"] = "klaar"
        self._save()
        self.say("")
        self.say("Klaar! Het concept plan van aanpak staat in:", GOOD)
        for f in files:
            self.say(f"  {f}")
        self.say(f"Uw antwoorden blijven in {show_path(self.path)}. Wijzigen en opnieuw maken: "
                 f"zelfscan resume {show_path(self.path)}", HINT)
        return EXIT_OK

    def _summary(self, profile: Any, adv: Any) -> None:
        name = self.answers.municipality
        self.say("")
        self._heading(f"Samenvatting voor {name}")
        t = profile.threat
        self.say(f"Dreiging: {t.label}." + (f" {t.meaning}" if t.meaning else ""))
        scored = [c for c in profile.components if c.status != "nvt"]
        at_level = sum(c.status == "op orde" for c in scored)
        level = "" if profile.resilience is None else \
            f"; gemiddeld niveau {nl_level(profile.resilience)} van 4"
        self.say(f"Weerbaarheid: {profile.resilience_label} ({at_level} van de {len(scored)} "
                 f"onderdelen op het nodige niveau{level}).")
        self.say(f"Beeld: {profile.quadrant.name}. {profile.quadrant.meaning}")
        acute = getattr(adv, "acute", ())
        if acute:
            self.say("Nu regelen:", HEADING)
            for a in acute:
                self.say(f"  - {a.text} ({a.term}; trekker: {a.owner})")
        top = adv.top(3)
        if top and not adv.has_shortfall:
            # Nothing falls short: do not call components at their level 'priorities'.
            self.say("Geen onderdeel heeft een tekort; houd de basis bij.", HEADING)
        elif top:
            self.say("Eerst aanpakken:", HEADING)
            for p in [p for p in top if p.status in ("tekort", "onbekend")] or top:
                self.say(f"  {p.rank}. {p.title} (nu {nl_level(p.current)}, nodig {p.required};"
                         f" urgentie {p.urgency})")

    def _chart(self, profile: Any) -> None:
        """The compact chart; in plain mode in words (a screen reader would read every bar
        character aloud, '#' by '#')."""
        if not self.plain:
            from wizard.plan.charts import text_chart

            self.say("")
            # Said as is: wrapping would break the columns (text_chart keeps to the width).
            self.fe.say(text_chart(profile, width=max(20, min(self.fe.width, 80) - 1),
                                   header=False)
                        .rstrip("\n"), BOT)
            return
        self.say("")
        self._heading("Per onderdeel: niveau nu en nodig")
        for c in profile.components:
            status = {"op orde": "op orde", "tekort": "tekort"}.get(c.status, "onbekend")
            now = nl_level(c.level) if c.level is not None else "onbekend"
            self.say(f"{c.title}: nu {now}, nodig {c.required}, {status}.")
