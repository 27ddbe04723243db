"""The person's survey as an accessible document: the questions and their answer options as
a DAISY talking book, through the pipeline that already speaks statements and guides (its
speech normaliser reads '1–5' and abbreviations aloud)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from folja.accessible.content import Document, Section
from folja.surveys.bank import OPTIONS
from folja.surveys.models import Survey


def survey_document(survey: Survey) -> Document:
    questions = list(survey.questions.order_by("position", "key"))
    intro = Section(
        key="intro",
        heading=survey.title,
        lines=(
            _("Det här är frågorna i enkäten."),
            _("Du svarar på Mina sidor. Du kan hoppa över en fråga."),
            _("Dina svar sparas utan ditt namn."),
        ),
    )
    sections = [intro] + [
        Section(
            key=q.key,
            heading=_("Fråga %(n)s: %(text)s") % {"n": n, "text": _(q.text)},
            lines=tuple(str(label) for _v, label in OPTIONS[q.kind]),
        )
        for n, q in enumerate(questions, start=1)
    ]
    return Document(
        key=f"enkat-{survey.pk}",
        title=survey.title,
        sections=tuple(sections),
        language=(get_language() or "sv")[:2],
    )
