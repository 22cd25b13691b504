"""Forms of the questionnaire screens and of a saved path's owner (rename, notes).

Every refusal is a message next to the field. The questionnaire's forms render their own
inputs through our widget templates (templates/paths/widgets/): each choice a radio or
checkbox inside its `<label>`; the screen's `<fieldset>` and `<legend>` are the page's.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from paths.models import LearningPath, Note
from paths.planner import HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_MIN, Question

# From the model, not paths.services: the questionnaire imports these forms, and services
# import the questionnaire (through re-planning).
PATH_NAME_MAX = LearningPath._meta.get_field("name").max_length

NOT_A_CHOICE = "That is not one of the answers to this question. Please choose again."
ERROR_ID = "question-error"  # the screen's list of errors, which invalid inputs point to


class ChoiceList(forms.CheckboxSelectMultiple):
    """Checkboxes in a list, each inside its label, with an optional note under the label
    ("Ticked because ...") that the checkbox is described by."""

    template_name = "paths/widgets/choice_list.html"
    option_template_name = "paths/widgets/choice_option.html"

    def __init__(self, *args: object, notes: Mapping[str, str] | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.notes = dict(notes or {})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        """The option's dict, with its note and the input's aria-describedby when it has one."""
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["note"] = self.notes.get(str(value), "")
        if option["note"]:
            option["attrs"]["aria-describedby"] = f"note-{value}"
        return option


class RadioList(ChoiceList):
    """Radios in a list; the value is still read as a list, so two values sent for one
    question are seen and refused rather than silently reduced to one."""

    input_type = "radio"


class HoursInput(forms.NumberInput):
    """A number input that writes its id right after its type, as the screen always has."""

    template_name = "paths/widgets/number_input.html"


class QuestionForm(forms.Form):
    """One catalog question: radios (single) or checkboxes (multiple) named "answer"."""

    use_required_attribute = False  # the server says what is missing, next to the question

    # A list field for both kinds, so two values sent for a single question are seen and
    # refused rather than silently reduced to one.
    answer = forms.MultipleChoiceField()

    def __init__(self, *args: object, question: Question, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", False)  # each input sits inside its label
        super().__init__(*args, **kwargs)
        self.question = question
        field = self.fields["answer"]
        field.widget = RadioList() if question.is_single else ChoiceList()
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
    """What do you already know? Checkboxes named "known", none required; `notes` says why a
    pre-ticked one is ticked."""

    use_required_attribute = False

    known = forms.MultipleChoiceField(
        required=False,
        error_messages={
            "invalid_choice": "Tick only technologies from the list.",
            "invalid_list": "Tick only technologies from the list.",
        },
    )

    def __init__(
        self,
        *args: object,
        candidates: list[tuple[str, str]],
        notes: Mapping[str, str] | None = None,
        **kwargs: object,
    ) -> None:
        kwargs.setdefault("auto_id", False)  # each input sits inside its label
        super().__init__(*args, **kwargs)
        field = self.fields["known"]
        field.widget = ChoiceList(notes=notes)
        field.choices = candidates


class HoursForm(forms.Form):
    """How many hours a week can you study? A whole number from 1 to 80."""

    use_required_attribute = False

    hours_per_week = forms.IntegerField(
        label="Hours per week",
        min_value=HOURS_PER_WEEK_MIN,
        max_value=HOURS_PER_WEEK_MAX,
        widget=HoursInput(attrs={"id": "hours-per-week", "inputmode": "numeric", "step": "1"}),
        error_messages={
            key: (
                f"Enter a whole number of hours from {HOURS_PER_WEEK_MIN} to {HOURS_PER_WEEK_MAX}."
            )
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")  # the label is exactly "Hours per week"
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        """Validate, and point an invalid input at the screen's error list."""
        super().full_clean()
        if self.errors:
            self.fields["hours_per_week"].widget.attrs["aria-describedby"] = ERROR_ID


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


HOURS_MESSAGE = (
    f"Hours per week must be a whole number from {HOURS_PER_WEEK_MIN} to {HOURS_PER_WEEK_MAX}."
)


class PathHoursForm(forms.Form):
    """A saved path's new pace ("Hours per week", 1 to 80)."""

    hours_per_week = forms.IntegerField(
        label="Hours per week",
        min_value=HOURS_PER_WEEK_MIN,
        max_value=HOURS_PER_WEEK_MAX,
        error_messages={
            key: HOURS_MESSAGE for key in ("required", "invalid", "min_value", "max_value")
        },
    )


class PathGoalForm(forms.Form):
    """A technology to add to a saved path as a goal, by name or slug ("Technology")."""

    technology = forms.CharField(
        label="Technology",
        max_length=200,
        error_messages={
            "required": "Type the name of a technology to add.",
            "max_length": "That is longer than any technology's name.",
        },
    )
