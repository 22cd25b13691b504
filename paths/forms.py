"""Forms of the questionnaire screens. Every refusal is a message next to the question."""

from __future__ import annotations

from django import forms

from paths.planner import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN, Question

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
