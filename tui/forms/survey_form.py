"""Record a survey answer: one NPS or CSAT score, or a CLI response (one score per question)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TextArea

from store import Store
from store.clock import utc_now
from store.errors import InvalidInput
from store.ids import new_id
from store.models import CLI_QUESTIONS, SurveyAnswer, SurveyKind
from store.validation import build
from tui.forms import DEFAULT_WRITE_PATIENCE, SOURCE, FormScreen


def score_problem(text: str, kind: SurveyKind) -> str | None:
    """Why `text` is not a score for `kind` (None when it is one, or still blank)."""
    low, high = kind.score_range
    value = text.strip()
    if not value:
        return None
    try:
        score = int(value)
    except ValueError:
        return f"{value!r} is not a whole number ({low}-{high})"
    if not low <= score <= high:
        return f"{score} is outside {low}-{high} for {kind.value}"
    return None


class SurveyForm(FormScreen[list[SurveyAnswer] | None]):
    """Kind, contact, score(s) and comment; dismissed with the answers, or None when cancelled.

    A CLI response is one answer per question (quality, service, experience, recommend),
    written together, exactly as `retain survey ACCOUNT cli 8 9 7 9` writes them.
    """

    FORM_TITLE = "Survey answer"
    FIRST_FIELD = "#score"
    KEYS_HELP = "ctrl+s save · enter on the last score saves · esc cancel · tab next field"

    def __init__(
        self, store: Store, account_id: str, *, patience: float = DEFAULT_WRITE_PATIENCE
    ) -> None:
        super().__init__(store, account_id, patience=patience)
        self.answer_ids = [new_id() for _ in CLI_QUESTIONS]
        """Kept across attempts, so saving twice can never record the answers twice."""

    def compose_fields(self) -> ComposeResult:
        yield self.row("Survey", Select(
            [(f"{kind.value} ({low}-{high})", kind)
             for kind in SurveyKind for low, high in [kind.score_range]],
            value=SurveyKind.NPS, allow_blank=False, id="kind",
        ))
        yield self.row("Contact", Select([], prompt="(none)", id="contact"))
        yield self.row("Score", Input(type="integer", placeholder="0-10", id="score",
                                      classes="-last"), id="score-row")
        with Horizontal(id="cli-row", classes="field-row"):
            yield Label("Scores", classes="field-label")
            for question in CLI_QUESTIONS:
                with Vertical(classes="cli-score"):
                    yield Label(question, classes="cli-question")
                    yield Input(type="integer", placeholder="1-10", id=f"score-{question}",
                                classes="-last" if question == CLI_QUESTIONS[-1] else "")
        yield self.hint("score-hint")
        yield self.row("Comment", TextArea(id="comment"), id="comment-row")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_kind(SurveyKind.NPS)

    @property
    def kind(self) -> SurveyKind:
        """The survey chosen."""
        return SurveyKind(self.query_one("#kind", Select).value)

    def _score_inputs(self) -> list[tuple[str | None, Input]]:
        if self.kind == SurveyKind.CLI:
            return [(q, self.query_one(f"#score-{q}", Input)) for q in CLI_QUESTIONS]
        return [(None, self.query_one("#score", Input))]

    def _show_kind(self, kind: SurveyKind) -> None:
        cli = kind == SurveyKind.CLI
        self.query_one("#score-row").display = not cli
        self.query_one("#cli-row").display = cli
        low, high = kind.score_range
        self.query_one("#score", Input).placeholder = f"{low}-{high}"

    @on(Select.Changed, "#kind")
    def kind_changed(self, event: Select.Changed) -> None:
        """Show one score or one per CLI question, and check them against the new range."""
        if event.value is Select.NULL:
            return
        self._show_kind(SurveyKind(event.value))
        self.check_scores()

    @on(Input.Changed, "#score, #cli-row Input")
    def check_scores(self) -> None:
        """Say which scores are out of range as they are typed."""
        kind = self.kind
        problems = [
            f"{question}: {problem}" if question else problem
            for question, field in self._score_inputs()
            if (problem := score_problem(field.value, kind))
        ]
        self.say("score-hint", "; ".join(problems), problem=bool(problems))

    def build_record(self) -> list[SurveyAnswer]:
        kind = self.kind
        comment = self.query_one("#comment", TextArea).text.strip() or None
        contact_id = self.chosen(self.query_one("#contact", Select))
        answered_at = utc_now()
        answers = []
        for number, (question, field) in enumerate(self._score_inputs()):
            where = f"score {question}" if question else "score"
            text = field.value.strip()
            if not text:
                raise InvalidInput(f"{where}: missing")
            problem = score_problem(text, kind)
            if problem:
                raise InvalidInput(f"{where}: {problem}")
            answers.append(build(SurveyAnswer, {
                "id": self.answer_ids[number], "account_id": self.account_id,
                "contact_id": contact_id, "kind": kind, "question": question,
                "score": int(text), "comment": comment, "answered_at": answered_at,
                "source": SOURCE,
            }, where))
        return answers

    def write(self, record: list[SurveyAnswer]) -> list[SurveyAnswer]:
        self.store.add_survey_answers(record)
        return record
