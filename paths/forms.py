"""Forms of the questionnaire screens and of a saved path's owner (rename, notes).

Every refusal is a message next to the field.
"""

from __future__ import annotations

from django import forms

from paths.models import Note
from paths.planner import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN, Question
from paths.services import PATH_NAME_MAX

NOT_A_CHOICE = "That is not one of the answers to this question. Please choose again."


class QuestionForm(forms.Form):
    """One catalog question: radios (single) or checkboxes (multiple) named "answer"."""

    # A list field for both kinds, so two values sent for a single question are seen and
    # refused rather than silently reduced to one.
    answer = forms.MultipleChoiceField()

    def __init__(self, *args: object, question: Question, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        field = self.fields["answer"]
        field.choices = [(choice.slug, choice.label) for choice in question.choices]
        field.error_messages = {
            "required": (
                "Choose one answer." if question.is_single else "Choose at least one answer."
            ),
            "invalid_choice": NOT_A_CHOICE,
            "invalid_list": NOT_A_CHOICE,
        }

    def clean_answer(self) -> list[str]:
        chosen = set(self.cleaned_data["answer"])
        if self.question.is_single and len(chosen) > 1:
            raise forms.ValidationError("Choose only one answer.")
        return [slug for slug in self.question.choice_slugs if slug in chosen]


class KnownForm(forms.Form):
    """What do you already know? Checkboxes named "known", none required."""

    known = forms.MultipleChoiceField(
        required=False,
        error_messages={
            "invalid_choice": "Tick only technologies from the list.",
            "invalid_list": "Tick only technologies from the list.",
        },
    )

    def __init__(self, *args: object, candidates: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["known"].choices = candidates


class HoursForm(forms.Form):
    """How many hours a week can you study? A whole number from 1 to 80."""

    hours_per_week = forms.IntegerField(
        label="Hours per week",
        min_value=HOURS_PER_WEEK_MIN,
        max_value=HOURS_PER_WEEK_MAX,
        error_messages={
            key: (
                f"Enter a whole number of hours from {HOURS_PER_WEEK_MIN} to {HOURS_PER_WEEK_MAX}."
            )
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )


class PathRenameForm(forms.Form):
    """A path's new name: one line, spaces collapsed."""

    name = forms.CharField(
        label="Name",
        max_length=PATH_NAME_MAX,
        error_messages={
            "required": "Give the path a name.",
            "max_length": f"Keep the name to {PATH_NAME_MAX} characters.",
        },
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the path a name.")
        return name


class NoteForm(forms.Form):
    """A private note: plain text of up to Note.MAX_LENGTH characters, and the version of the
    note the learner was editing (0 for a new one)."""

    text = forms.CharField(required=False, strip=True)
    version = forms.IntegerField(min_value=0, error_messages={"required": "Reload the page."})

    def clean_text(self) -> str:
        # Browsers send CRLF line breaks but count them as one character against maxlength.
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > Note.MAX_LENGTH:
            raise forms.ValidationError(
                f"Keep the note to {Note.MAX_LENGTH:,} characters; it has {len(text):,}."
            )
        return text
