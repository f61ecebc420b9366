"""The ':' commands typed at a question: back, skip, go to, overview, note, mark, help, stop.

Every command that takes a number takes the number the screen shows (8, or 8a for a question
that appears after a certain answer), never a position that shifts.
"""

from __future__ import annotations

from wizard.chat import parse
from wizard.chat.frontend import ERROR, GOOD, HINT
from wizard.chat.texts import Texts
from wizard.errors import EXIT_OK
from wizard.questionnaire.model import Question


class Commands(Texts):
    """Dispatch of parse.Command at a question (or with no current question)."""

    def _command(self, cmd: parse.Command, cur: Question | None) -> None:
        name = cmd.name
        if name == "":
            best = parse.suggest_command(cmd.raw)
            self.say(f"Onbekende opdracht '{cmd.raw}'."
                     + (f" Bedoelde u :{best}?" if best else "") + " Typ :hulp voor de lijst.",
                     ERROR)
        elif name == "terug":
            if cur is None:
                self.session.jump(self.session.visible()[-1].id)
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
            # Something other than Enter typed between pages is the answer to the question.
            self._pending = self._overview(cmd.arg)
        elif name == "nakijken":
            if self._review():
                self._plan_now = True  # the main loop writes the plan
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
        """The question a number (as shown: 8, 8a) or an id names; None after saying why."""
        arg = arg.strip()
        if not arg:
            self.say("Zeg welke vraag: :ga <nummer>, bijvoorbeeld :ga 12 (zie :overzicht).",
                     ERROR)
            return None
        if self.numbers.looks_like_number(arg):
            qid = self.numbers.find(arg)
            if qid is None:
                self.say(f"Er is geen vraag {arg}; de vragen lopen van 1 tot en met "
                         f"{self.numbers.total} (zie :overzicht).", ERROR)
                return None
            if not self.session.is_visible(qid):
                self.say(f"Vraag {arg} geldt nu niet: ze hoort bij een ander antwoord op de "
                         "vraag ervoor.", ERROR)
                return None
            return self.q.question(qid)
        if self.q.has_question(arg):
            if not self.session.is_visible(arg):
                why = ("ze hoort niet bij de korte scan" if self.answers.short_scan
                       and arg not in self.q.short_ids() else
                       "ze hoort bij een eerder antwoord dat anders is ingevuld")
                self.say(f"Die vraag geldt nu niet: {why}.", ERROR)
                return None
            return self.q.question(arg)
        matches = [qu for qu in self.session.visible() if arg.lower() in qu.id]
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

    def _overview(self, arg: str = "") -> str:
        """All questions per section, a screen at a time; ':overzicht open' only those
        without an answer. Returns what was typed to stop the listing (see ChatBase.page)."""
        only_open = arg.strip().lower() in ("open", "onbeantwoord")
        blocks = self._overview_blocks(only_open=only_open)
        self._remind = True
        if not blocks:
            self.say("Alle vragen hebben een antwoord." if only_open else "Geen vragen.", GOOD)
            return ""
        typed = self.page(blocks)
        if not typed and not only_open and self.session.unanswered():
            self.say("Alleen de vragen zonder antwoord: :overzicht open", HINT)
        return "" if typed == "q" else typed

    def _note(self, cur: Question | None, arg: str) -> None:
        if cur is None:
            self.say("Kies eerst een vraag met :ga <nr>, en typ daar :notitie.", ERROR)
            return
        text = arg
        if not text:
            from wizard.chat.frontend import Ask

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
        # Where the note goes, in the plan's own words (issue 14 item 3), and what the
        # privacy check noticed in it (never the text itself).
        from wizard.chat.privacy_check import after_note, note_destination

        self.say("Notitie bewaard. " + note_destination(self.q, cur), GOOD)
        after_note(self, cur, text)
