"""The session file: where the chat saves every answer, and finding an earlier one.

An earlier session for the same municipality is found by name as people write it: "Gemeente
Heidebroek", "heidebroek" and "Heidebroek " are the same municipality (case, accents, spaces
and the word 'gemeente' do not count), so a second, empty session is never started by
accident.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from wizard.answers.store import FULL, SCAN_KEY, Answers, load_answers, save_answers
from wizard.assessment.engine import Session
from wizard.chat import sessionlock
from wizard.chat.base import ChatBase, folder_name, show_path
from wizard.chat.frontend import ERROR, GOOD, HINT
from wizard.errors import ZelfscanError

ROLE_QUESTION = "intake.rol"
SESSION_FOLDER = "sessies"
_GEMEENTE = re.compile(r"^(gemeente|gem\.?)\s+|\s+\(?gemeente\)?$", re.IGNORECASE)


def bare_name(name: str) -> str:
    """'Gemeente Heidebroek' -> 'Heidebroek' (the plan already says 'gemeente …')."""
    return _GEMEENTE.sub("", " ".join(str(name).split())).strip()


def municipality_key(name: str) -> str:
    """'Gemeente  Súdwest-Fryslân ' -> 'sudwestfryslan': what makes two names the same."""
    text = " ".join(str(name).split())
    text = _GEMEENTE.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def earlier_sessions(folder: Path, name: str, q) -> list[tuple[Path, Answers]]:  # type: ignore[no-untyped-def]
    """Readable session files in `folder` for the same municipality, newest first."""
    key = municipality_key(name)
    found: list[tuple[float, Path, Answers]] = []
    if not key or not folder.is_dir():
        return []
    for path in folder.glob("*.yaml"):
        try:
            answers = load_answers(path, q, require_complete=False)
            mtime = path.stat().st_mtime
        except (ZelfscanError, OSError):
            continue
        if municipality_key(str(answers.municipality or "")) == key:
            found.append((mtime, path, answers))
    found.sort(key=lambda t: (-t[0], str(t[1])))
    return [(p, a) for _, p, a in found]


class SessionFiles(ChatBase):
    """Saving after every change, naming the file, and offering an earlier session."""

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
        """Name the session file after the municipality; offer an earlier one first."""
        name = str(self.answers.municipality)
        folder = self.base_dir / SESSION_FOLDER
        stem = folder_name(name)
        candidate = folder / f"{stem}.yaml"
        if candidate.exists():
            try:
                load_answers(candidate, self.q, require_complete=False)
            except ZelfscanError:
                self.say(f"Er staat al een sessiebestand {show_path(candidate)}, maar dat kan "
                         "ik niet lezen. Ik laat het ongemoeid en bewaar dit gesprek in een "
                         "nieuw bestand.", ERROR)
        earlier = earlier_sessions(folder, name, self.q)
        # The newest unfinished one first; else a finished short scan (to go on with the full
        # scan); a finished full scan is only mentioned.
        unfinished = [e for e in earlier if e[1].session.get("status") != "klaar"]
        short_done = [e for e in earlier if e[1].short_scan and e not in unfinished]
        pick = (unfinished or short_done or earlier)[:1]
        if pick and self._offer(pick[0][0], pick[0][1], name, others=len(unfinished) - 1):
            return
        # The first free name that no other window holds (two windows starting the same
        # municipality at the same moment get two files, never one).
        candidate = sessionlock.free_name(self, folder, stem, first=1)
        self.path = candidate
        self.answers.session["status"] = "bezig"
        self.say(f"Elk antwoord wordt meteen bewaard in {show_path(candidate)}.", HINT)

    def _offer(self, path: Path, old: Answers, name: str, others: int = 0) -> bool:
        """Ask whether to go on with an earlier session; True when it was taken over."""
        shown = old.municipality or name
        done = old.session.get("status") == "klaar"
        if done and not old.short_scan:
            self.say(f"Voor {shown} is al een afgerond gesprek bewaard ({show_path(path)}). "
                     "Dit nieuwe gesprek bewaar ik apart.")
            return False
        if done:
            rest = len(Session(self.q, as_full_scan(old)).unanswered())
            self.say(f"Voor {shown} is eerder de korte scan gedaan ({show_path(path)}). Wilt u "
                     f"daarmee verder gaan met de volledige scan? Er komen {rest} vragen bij; "
                     "wat al beantwoord is, wordt niet opnieuw gevraagd. (j/n)")
        else:
            what, which = ("de korte scan", "die") if old.short_scan else ("een gesprek", "dat")
            more = ("" if others <= 0 else
                    " Er is nog 1 ander gesprek dat nog niet af is" if others == 1 else
                    f" Er zijn nog {others} andere gesprekken die nog niet af zijn")
            if more:
                more += f", in de map {show_path(path.parent)}."
            self.say(f"Er is eerder {what} voor {shown} begonnen {which} nog niet af is "
                     f"({len(old.values)} antwoorden, in {show_path(path)}).{more} Wilt u "
                     "daarmee verder gaan? (j/n)")
        self._offered = path
        try:
            go_on = self._ask_yes_no()
        finally:
            self._offered = None
        if not go_on:
            self.say("Dan begint u opnieuw. Het eerdere gesprek blijft bewaard.")
            return False
        widen = done or self._wants_full(old)
        if sessionlock.claim_existing(self, path, widen=widen):  # else: a copy, or waited
            self._adopt(old, path, widen=widen)
        return True

    def _wants_full(self, old: Answers) -> bool:
        """The user chose the full scan now and the earlier session is a short one."""
        return old.short_scan and not self.answers.short_scan

    def _adopt(self, old: Answers, path: Path, *, widen: bool = False) -> None:
        """Continue an earlier session file instead of the fresh one."""
        self.answers = old
        self.path = path
        self._prefill_role()
        self.session = Session(self.q, self.answers)
        if widen:
            self.session.widen()
        self.renumber()
        self._add_participant()
        self.answers.session["status"] = "bezig"
        save_answers(self.answers, self.path, self.q)
        p = self.session.progress()
        scan = " (korte scan)" if self.answers.short_scan else ""
        self.say(f"Welkom terug. {p.answered} van de {p.total} vragen{scan} zijn al "
                 "beantwoord; we gaan verder bij de eerste vraag zonder antwoord.", GOOD)
        if widen:
            self.say(f"De volledige scan heeft {self.numbers.total} vragen; de nummers gaan "
                     "vanaf nu over alle vragen.", HINT)
        self._shown = None
        self._section = None


def as_full_scan(answers: Answers) -> Answers:
    """A copy of the answers as the full scan (to count what the full scan would still ask)."""
    import copy

    copied = copy.deepcopy(answers)
    copied.session[SCAN_KEY] = FULL
    return copied
