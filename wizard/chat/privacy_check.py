"""Right after a free-text answer: persons, a case or personal data? (issue 14)

The conversation calls `after_answer` once an answer is stored. When a public answer reads
like a case (wizard.answers.screen), the chat says what it noticed - the kind of clue, never
the words - and offers three ways on:

  1  keep it confidential (the default): it goes to the annex, the plan gets a pointer;
  2  rephrase it: back to the question;
  3  public after all: recorded per question in `openbaar_bevestigd` of the session file.

A new answer to a question always drops an earlier confirmation: what was confirmed is
that text, not whatever is typed later. Kept apart from conversation.py so the dialogue
can change without touching this.
"""

from __future__ import annotations

from typing import Any

from wizard.chat import parse
from wizard.chat.frontend import ERROR, GOOD, HINT, OPTION, Ask
from wizard.errors import EXIT_OK
from wizard.questionnaire.model import Question

KEEP, REPHRASE, PUBLIC = "1", "2", "3"
CHOICES = (
    (KEEP, ("Vertrouwelijk houden: het antwoord komt in de vertrouwelijke bijlage, niet in "
            "het openbare plan (standaard, Enter)")),
    (REPHRASE, "Anders formuleren: terug naar deze vraag"),
    (PUBLIC, "Toch openbaar: ik heb gecontroleerd dat niemand herkenbaar is"),
)


def after_answer(chat: Any, question: Question, value: Any) -> bool:
    """Check a stored answer; True when the chat should ask the question again."""
    from wizard.answers.screen import ANSWER, review

    confirmed = chat.answers.confirmed_public
    if question.id in confirmed:
        confirmed.remove(question.id)  # a confirmation holds for the text it was given for
    flag = review(chat.q, question.id, value, field=ANSWER)
    if flag is None:
        return False
    if not flag.public:
        chat.say(f"Let op: dit antwoord {flag.what()}. Het staat alleen in de vertrouwelijke "
                 "bijlage, maar noem ook daar liever een functie of rol dan een persoon. "
                 "Aanpassen: :terug.", ERROR)
        return False
    chat.say(f"Let op: dit antwoord {flag.what()}. In een kleine gemeente kan dat iemand "
             "herkenbaar maken, en het plan van aanpak wordt openbaar. Wat wilt u?", ERROR)
    for key, text in CHOICES:
        chat.say(f"  {key}  {text}", OPTION)
    while True:
        line = chat._read(Ask(prompt="keuze> ", options=tuple(k for k, _ in CHOICES),
                              toolbar=chat._toolbar())).strip().rstrip(".")
        command = parse.parse_command(line)
        if command is not None and command.name == "stop":
            chat._stop(EXIT_OK)  # saves: the answer stays, confidential
        choice = REPHRASE if command is not None and command.name == "terug" else line or KEEP
        if choice in (KEEP, REPHRASE, PUBLIC):
            break
        chat.say("Typ 1 (vertrouwelijk houden), 2 (anders formuleren) of 3 (toch openbaar).",
                 ERROR)
    if choice == PUBLIC:
        confirmed.append(question.id)
        chat.say("Goed: dit antwoord komt in het openbare plan. Dat staat in het sessiebestand "
                 "(openbaar_bevestigd) en geldt tot u het antwoord verandert.", GOOD)
        return False
    if choice == REPHRASE:
        chat.say("Typ het antwoord opnieuw: beschrijf rollen en afspraken, zonder namen, "
                 "leeftijden of details die iemand herkenbaar maken.", HINT)
        return True
    chat.say("Goed: dit antwoord komt in de vertrouwelijke bijlage. In het openbare plan "
             "staat op die plek alleen een verwijzing naar de bijlage.", GOOD)
    return False


def note_destination(q: Any, question: Question) -> str:
    """Where a note ends up, in the words the plan itself uses (issue 14, item 3)."""
    from wizard.questionnaire.model import CONFIDENTIAL, PUBLIC

    if getattr(q, "notes_classification", CONFIDENTIAL) == PUBLIC and \
            question.classification != CONFIDENTIAL:
        return ("Die komt in het plan bij de openstaande punten, onder 'Toelichtingen bij "
                "vragen'.")
    return ("Notities zijn vertrouwelijk: die komt in de vertrouwelijke bijlage bij het plan; "
            "het openbare plan noemt alleen dat er bij dit onderdeel een notitie is.")


def after_note(chat: Any, question: Question, text: str) -> None:
    """A note: say what was noticed and where the note goes (no choice: notes are
    confidential by default; with public notes a flagged note goes to the annex too)."""
    from wizard.answers.screen import NOTE, review

    flag = review(chat.q, question.id, text, field=NOTE,
                  confirmed=question.id in chat.answers.confirmed_public)
    if flag is None:
        return
    where = ("Daarom komt de notitie in de vertrouwelijke bijlage, niet in het openbare plan."
             if flag.withheld else
             "De notitie staat in het openbare plan, want u bevestigde dit antwoord als "
             "openbaar." if flag.public else
             "Notities staan alleen in de vertrouwelijke bijlage, maar noem ook daar liever "
             "een functie of rol dan een persoon.")
    chat.say(f"Let op: deze notitie {flag.what()}. {where}", ERROR)
