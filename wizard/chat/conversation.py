"""The conversation: the flow of one chat session, from the welcome to the plan.

Front-end neutral (see wizard.chat.frontend): no prompt_toolkit here, so a plain line-based
front end can reuse all of it. The engine (wizard.assessment.engine.Session) holds the state;
the chat saves after every change, so a killed process loses at most the answer being typed.

The parts, by concern: wizard.chat.base (state, saying, reading, stopping, paging),
.texts (what the assistant says), .commands (the ':' commands), .sessionfiles (the session
file and finding an earlier one), .numbering (question numbers that hold still), .parse
(reading what was typed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wizard.answers.store import FULL, SCAN_KEY, SHORT, Answers, load_answers
from wizard.assessment.engine import Session
from wizard.chat import parse, sessionlock
from wizard.chat.base import (
    DEFAULT_PROGRAM,
    Stop,
    folder_name,
    nl_level,
    now_iso,
    show_path,
    today_iso,
)
from wizard.chat.commands import Commands
from wizard.chat.frontend import BOT, ERROR, GOOD, HINT, Ask, Frontend
from wizard.chat.numbering import Numbering
from wizard.chat.sessionfiles import SessionFiles, as_full_scan, bare_name
from wizard.errors import EXIT_INTERRUPTED, EXIT_OK, ZelfscanError
from wizard.questionnaire.model import NVT, TEXT, WEET_NIET, Question, Questionnaire

__all__ = ["Chat", "folder_name", "nl_level", "show_path"]

# More unanswered questions than this, and :klaar asks before writing the plan.
CONFIRM_OPEN_ABOVE = 3
# `scan=ASK`: ask at the start whether to do the short or the full scan.
ASK = "vraag"
MUNICIPALITY = "intake.gemeente"


class Chat(SessionFiles, Commands):
    """One chat session. `run()` returns the exit code.

    `scan`: for a new chat 'kort' (short scan), 'volledig' or None (the full scan), or ASK
    (ask at the start). A resumed session keeps its own scan; 'volledig' goes on from a short
    scan with the full scan.
    `program`: how the user started Zelfscan, for the commands that hints name.
    """

    def __init__(
        self,
        q: Questionnaire,
        fe: Frontend,
        *,
        base_dir: Path,
        role: str | None = None,
        answers: Answers | None = None,
        session_path: Path | None = None,
        now: Callable[[], str] = now_iso,
        today: Callable[[], str] = today_iso,
        scan: str | None = None,
        program: str = DEFAULT_PROGRAM,
    ) -> None:
        self.q = q
        self.fe = fe
        # Plain front end (screen readers): no keys but Enter, no toolbar, no prefilled input.
        self.plain = bool(getattr(fe, "plain", False))
        self.base_dir = Path(base_dir)
        self.role = role
        self.now = now
        self.program = program
        self.resumed = answers is not None
        self.answers = answers if answers is not None else Answers.empty(q, today())
        if not self.answers.date:  # set once, at the start of the assessment
            self.answers.date = today()
        self._scan = scan
        widen = False
        if not self.resumed and scan == SHORT:
            self.answers.session[SCAN_KEY] = SHORT
        elif self.resumed and scan == FULL and self.answers.short_scan:
            widen = True
        self.path = Path(session_path) if session_path else None
        self._prefill_role()
        self.session = Session(q, self.answers)
        self._widened_at_start = widen
        if widen:
            self.session.widen()
        self.numbers = Numbering(self.session.walk())
        self._participant = {"rol": role or "onbekend", "vanaf": now()}
        self._add_participant()
        self._shown = None
        self._section = None
        self._after_jump = False
        self._remind = False
        self._config = None
        self._offered = None
        self._plan_now = False
        self._pending = ""

    # ------------------------------------------------------------------ main flow

    def run(self) -> int:
        try:
            return self._run()
        finally:
            sessionlock.release(self)  # the session file is free for another window again

    def _run(self) -> int:
        try:
            self._begin()
            while True:
                cur = self.session.current
                if self._plan_now or cur is None:
                    if self._plan_now or self._review():
                        self._plan_now = False  # (:nakijken, then :klaar, at a question)
                        code = self._finish()
                        if code != EXIT_OK or not self._go_on_to_full():
                            return code
                    continue
                self._enter_section(cur)
                self._ask_question(cur)
        except Stop as stop:
            return stop.code

    def _begin(self) -> None:
        if self.resumed:
            p = self.session.progress()
            name = self.answers.municipality or "uw gemeente"
            scan = " (korte scan)" if self.answers.short_scan else ""
            self.say(f"Welkom terug bij de Zelfscan voor {name}{scan}. {p.answered} van de "
                     f"{p.total} vragen zijn beantwoord; we gaan verder waar u was gebleven.",
                     GOOD)
            if self._widened_at_start:
                self.say(f"We gaan verder met de volledige scan ({self.numbers.total} vragen); "
                         "wat al beantwoord is, wordt niet opnieuw gevraagd.", HINT)
            self.say("Typ :hulp voor alle opdrachten.", HINT)
            sessionlock.claim_resumed(self)  # open elsewhere: copy, wait or stop
            if self.path is not None:
                self.answers.session["status"] = "bezig"
                self._save()
            return
        self._welcome()
        if self._scan == ASK:
            self._choose_scan()

    def _choose_scan(self) -> None:
        """Short or full scan, asked once at the start (`--kort` / `--volledig` skip this)."""
        short = Numbering(q for q in self.q.questions() if q.short)
        full = Numbering(self.q.questions())
        if not short.total:
            return  # this questionnaire has no short scan
        self._scan_choice_text(short.total, full.total)
        while True:
            line = self._read(Ask(prompt="Korte of volledige scan? (k/v) > ",
                                  options=("k – Korte scan", "v – Volledige scan")))
            word = line.strip().lower().split(" ", 1)[0] if line.strip() else ""
            if word in ("k", "kort", "korte", "1"):
                self.answers.session[SCAN_KEY] = SHORT
                self.session = Session(self.q, self.answers)
                self.renumber()
                self.say(f"De korte scan: {self.numbers.total} vragen.", GOOD)
                return
            if word in ("v", "volledig", "volledige", "2"):
                self.say(f"De volledige scan: {self.numbers.total} vragen.", GOOD)
                return
            cmd = parse.parse_command(line)
            if cmd is not None and cmd.name == "stop":
                self._stop(EXIT_OK)
            self.say("Typ k voor de korte scan of v voor de volledige scan.", ERROR)

    def _ask_question(self, cur: Question) -> None:
        if self._shown != cur.id:
            self._show_question(cur)
            self._shown = cur.id
        elif self._remind:
            self._short_reminder(cur)
        self._remind = False
        existing = self.answers.values.get(cur.id)
        line, self._pending = self._pending, ""  # typed at a 'Meer' prompt: the answer
        if not line:
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

    def _user_error(self, e: ZelfscanError, question: Question) -> str:
        """The engine's message names the question by its id; the user knows its number."""
        problem = e.problem
        prefix = f"{question.id}: "
        if problem.message.startswith(prefix):
            message = f"Vraag {self.label(question.id)}: " + problem.message[len(prefix):]
            problem = dataclasses.replace(problem, message=message)
        return problem.format()

    def _store(self, cur: Question, value: Any) -> None:
        if cur.id == MUNICIPALITY and isinstance(value, str):
            bare = bare_name(value)
            if bare and bare != value.strip():
                # The plan's title reads 'gemeente <naam>': not 'gemeente Gemeente …'.
                self.say(f"Ik noteer de naam zonder 'gemeente': {bare}.", HINT)
                value = bare
        try:
            dropped = self.session.answer(value)
        except ZelfscanError as e:
            self.say(self._user_error(e, cur), ERROR)
            return
        # Saved once, by _after_move() (which may still move on after a :ga jump): one
        # YAML dump and fsync per answer instead of two.
        from wizard.chat.privacy_check import after_answer

        again = after_answer(self, cur, value)  # persons, a case, personal data (issue 14)
        self._report_dropped(dropped)
        self._after_move()
        if again:  # the officer chose to rephrase it
            self.session.jump(cur.id)
            self._shown = None
            self._save()

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
                self.say(f"Verder met de eerste vraag zonder antwoord "
                         f"({self.label(first.id)}).", HINT)
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

    # ------------------------------------------------------------------ review and end

    def _review(self) -> bool:
        """All answers, any of them changeable. True = write the plan now."""
        self.say("")
        scan = " (korte scan)" if self.answers.short_scan else ""
        self._heading(f"Nakijken{scan}")
        open_count = len(self.session.unanswered())
        if open_count:
            self.say(f"{open_count} {'vraag is' if open_count == 1 else 'vragen zijn'} nog "
                     "onbeantwoord (overgeslagen of nog niet gesteld).")
        self._section_summary()
        self._review_hint()
        typed = ""
        while True:
            line = typed or self._read(Ask(prompt="nakijken> ", toolbar=self._toolbar()))
            typed = ""
            cmd = parse.parse_command(line)
            text = line.strip()
            if cmd is not None:
                if cmd.name == "klaar":
                    if self._confirm_plan():
                        return True
                    continue
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
                    typed = self._overview(cmd.arg)
                    if not typed:
                        self._review_hint()
                    continue
                if cmd.name in ("notitie", "bespreek", "over", "uitleg"):
                    self.say("Kies eerst een vraag met :ga <nr>.", ERROR)
                    continue
                self._command(cmd, None)
                continue
            if self.numbers.looks_like_number(text):
                target = self._resolve(text)
                if target is not None:
                    self._edit(target)
                continue
            if not text:
                self.say("Typ een nummer, of :klaar om het plan te maken.", HINT)
                continue
            self.say(f"'{text}' begrijp ik hier niet. Typ een nummer uit de lijst, of :klaar.",
                     ERROR)

    def _review_hint(self) -> None:
        self.say("Typ een nummer om dat antwoord te wijzigen, :overzicht om alle antwoorden "
                 "te zien (:overzicht open: alleen de onbeantwoorde), :ga <nr> om vanaf die "
                 "vraag verder te gaan, :klaar om het plan te maken.", HINT)

    def _confirm_plan(self) -> bool:
        """:klaar with more than a few questions unanswered: say how many, and ask."""
        n = len(self.session.unanswered())
        if n <= CONFIRM_OPEN_ABOVE:
            return True
        self.say(f"Nog {n} vragen zijn onbeantwoord. Het plan noemt ze bij de openstaande "
                 "punten, en het beeld is minder zeker. Toch het plan maken? (j/n)")
        if self._ask_yes_no():
            return True
        self.say("Goed. Alleen de vragen zonder antwoord: :overzicht open; beantwoorden met "
                 ":ga <nr>.", HINT)
        return False

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
                default=existing if target.kind == TEXT and isinstance(existing, str) and
                existing not in (WEET_NIET, NVT) else "",
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
        shown = parse.format_value(target, self.answers.values.get(target.id))
        # No second full stop after an answer that ends in one (or in '…', '?', '!').
        self.say(f"Gewijzigd: {shown}" + ("" if shown.endswith((".", "…", "?", "!")) else "."),
                 GOOD)
        from wizard.chat.privacy_check import after_answer

        again = after_answer(self, target, value)  # persons, a case, personal data (issue 14)
        self._save()  # a confirmation given or dropped
        if again:  # the officer chose to rephrase it
            self._edit(target)
            return
        self._report_dropped(dropped)
        new = [qu for qu in self.session.visible() if qu.id not in before]
        if new:
            self.say("Door deze wijziging zijn er vragen bijgekomen:")
            for qu in new:
                self.say(f"  {self.label(qu.id)}. {self._short(qu)}")
            self.say("Beantwoord ze met :ga <nr>.", HINT)

    def _finish(self) -> int:
        from wizard.plan.output import results, write_outputs

        if self.path is None:  # cannot happen: the municipality is a required question
            raise ZelfscanError("de naam van de gemeente ontbreekt; er is niets om te maken")
        # 'klaar' only once the plan is written: a stop or Ctrl-C before that leaves the
        # session 'bezig', so `zelfscan start` offers it again. The plan never reads status.
        self.session.answers.session.pop("huidige_vraag", None)
        self._save()
        fresh = load_answers(self.path, self.q)  # exactly what `zelfscan batch` would read
        # The outputs hold a copy of the answers: as they will be saved once written.
        fresh.session["status"] = "klaar"
        # Scored and advised once: the summary, the chart and the files share these results.
        profile, adv = results(self.q, fresh)
        self._summary(profile, adv)
        self._chart(profile)
        out_dir = self.base_dir / folder_name(str(fresh.municipality))
        if (out_dir / "plan.md").exists():
            self.say(f"In {show_path(out_dir)} staat al een plan. Overschrijven? (j/n)")
            if not self._ask_yes_no():
                self.say("Er is niets overschreven. Het plan maken kan later met:")
                self.fe.say("  " + self.command("batch", show_path(self.path), "--uitvoer",
                                                show_path(self.base_dir), "--force"), HINT)
                return EXIT_OK
        try:
            files = write_outputs(self.q, fresh, out_dir, force=True, profile=profile,
                                  advice=adv)
        except KeyboardInterrupt:
            self.say("Onderbroken: het plan is niet (helemaal) gemaakt. Uw antwoorden zijn "
                     f"bewaard in {show_path(self.path)}.", ERROR)
            self.say_command("Het plan alsnog maken:",
                             self.command("resume", show_path(self.path)))
            return EXIT_INTERRUPTED
        self.answers.session["status"] = "klaar"
        self._save()
        self.say("")
        self.say("Klaar! Het concept plan van aanpak staat in:", GOOD)
        for f in files:
            self.fe.say(f"  {f}", BOT)  # whole: a path is never broken over two lines
        self.say(f"Uw antwoorden blijven in {show_path(self.path)}.", HINT)
        self.say_command("Wijzigen en opnieuw maken:",
                         self.command("resume", show_path(self.path)))
        return EXIT_OK

    def _go_on_to_full(self) -> bool:
        """After the short scan's plan: offer the full scan, asking nothing twice."""
        if not self.answers.short_scan:
            return False
        rest = len(Session(self.q, as_full_scan(self.answers)).unanswered())
        self.say("")
        self.say(f"Wilt u nu verder met de volledige scan? Er komen {rest} vragen bij; wat u "
                 "al beantwoordde, wordt niet opnieuw gevraagd. (j/n)")
        if not self._ask_yes_no():
            assert self.path is not None
            self.say_command("Later verder met de volledige scan:",
                             self.command("resume", show_path(self.path), "--volledig"))
            return False
        self.session.widen()
        self.renumber()
        self.answers.session["status"] = "bezig"
        self._save()
        self._section = None
        self._shown = None
        self.say(f"De volledige scan heeft {self.numbers.total} vragen; de nummers gaan vanaf "
                 "nu over alle vragen.", HINT)
        return True

