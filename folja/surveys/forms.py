from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from folja.surveys.bank import OPTIONS
from folja.surveys.models import Audience, Question, Survey


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        # The bank's texts are Swedish data with their English in the catalogue.
        return gettext(obj.text)


class SurveyComposeForm(forms.Form):
    title = forms.CharField(label=_("Namn på enkäten"), max_length=200)
    audience = forms.ChoiceField(label=_("Målgrupp"), choices=Audience.choices)
    opens_on = forms.DateField(label=_("Öppnar (ÅÅÅÅ-MM-DD)"))
    closes_on = forms.DateField(label=_("Stänger (ÅÅÅÅ-MM-DD)"))
    questions = QuestionChoiceField(
        label=_("Frågor ur frågebanken"),
        queryset=Question.objects.order_by("position", "key"),
        widget=forms.CheckboxSelectMultiple,
    )


def answer_form(survey: Survey, data=None) -> forms.Form:
    """One optional radio group per question: a respondent may skip any question."""
    form = forms.Form(data)
    for question in survey.questions.order_by("position", "key"):
        form.fields[question.key] = forms.ChoiceField(
            label=gettext(question.text),
            choices=OPTIONS[question.kind],
            widget=forms.RadioSelect,
            required=False,
        )
    return form
