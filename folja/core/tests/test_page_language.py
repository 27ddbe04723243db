"""Every page, in Swedish and in English, shows labels in its own language and no raw code.

The walk is built on the authorization matrix: each HTML route in its ROUTES (so a page added
tomorrow is walked too) is fetched with GET by every own-world role allowed to see it, once with
the language cookie set to `sv` and once to `en` (the app ignores Accept-Language). From the
visible text (tags, scripts and styles stripped; `alt`, `title`, `aria-label` and `placeholder`
kept, since a screen reader or a hover shows them) it checks:

- no raw code: a value of any model field's choices, a reason code (REASON_TEXTS), a time band
  or an access-log kind, written as the code itself (`exceeds_grant`, `person_file`). A code
  that is also an ordinary word of the page's language ("person" in Swedish, "day" in English)
  is not a sign of anything and is not looked for. A page that shows a code on purpose puts it
  in `<code>` next to its label (a sample file in `<pre>`); text in `<code>`, `<kbd>`, `<samp>`
  and `<pre>` is not checked;
- in English, no Swedish text that the catalogue translates: no phrase of three words or more
  from a translated msgid, and no text node that is a whole translated label (a msgid written
  with a capital, as a heading or a table cell shows it: "Kvinnor"; a lower-case single word
  such as "fel" is as likely a person's data as a label);
- in Swedish, the same for the catalogue's English translations.

Text marked with another `lang` (the "In English" button) is in that language on purpose.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from folja.accounts.models import Role
from folja.audit.labels import ACCESS_KINDS
from folja.core.tests.test_authorization_matrix import ROUTES, worlds  # noqa: F401
from folja.delivery.models import Session
from folja.ledger.payable import REASON_TEXTS
from folja.payments.services import payment_run_build
from folja.rules import model as rules_model
from folja.testing.factories import UserFactory
from folja.testing.routes import allowed_own_roles, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_swedish():
    """LocaleMiddleware leaves the last request's language active in the thread; the walk ends
    in English, and the next test (a command's output) must not inherit it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


LANGUAGES = ("sv", "en")
HIDDEN = {"script", "style", "template", "noscript"}
ON_PURPOSE = {"code", "kbd", "samp", "pre"}  # codes and sample files, shown as written
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
MIN_PHRASE_WORDS = 3
WORD = re.compile(r"\w+")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|\{\w*\}|<[^>]+>|\n")
# A code: lower-case ASCII, as systems write them (`exceeds_grant`, `api: session`).
CODE_LIKE = re.compile(r"^[a-z][a-z0-9_ :(),]*$")


class _VisibleText(HTMLParser):
    """The text nodes a reader sees, each as one string, in the page's own language."""

    def __init__(self, page_lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.nodes: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack and self.stack[-1][1])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").split("-")[0]
        skipped = (
            self._skipped()
            or tag in HIDDEN
            or tag in ON_PURPOSE
            or bool(lang and lang != self.page_lang)
        )
        if not skipped:
            for name in SHOWN_ATTRIBUTES:
                if attrs.get(name):
                    self.nodes.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.nodes.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._skipped() and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_text(html: str, lang: str) -> list[str]:
    parser = _VisibleText(lang)
    parser.feed(html)
    parser.close()
    return parser.nodes


def _words(text: str) -> str:
    """The text as its words, space-separated and padded, so `in` matches whole words only."""
    return " " + " ".join(WORD.findall(text)) + " "


# --- what the checks look for, derived from the code and the catalogue ----------------------


def raw_codes() -> set[str]:
    """Every code a system reads but a person should not: choice values of every model field,
    reason codes, time bands, access-log kinds and roles."""
    codes: set[str] = set(REASON_TEXTS) | set(ACCESS_KINDS) | set(Role.values)
    # The rules' own codes: time bands, allocation models, statuses, period anchors.
    codes |= {
        value
        for name, value in vars(rules_model).items()
        if name.isupper() and isinstance(value, str)
    }
    for model in apps.get_models():
        if not model.__module__.startswith("folja."):
            continue
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "flatchoices", None) or ():
                if isinstance(value, str):
                    codes.add(value)
    return {c for c in codes if CODE_LIKE.match(c)}


@dataclass(frozen=True)
class Catalogue:
    swedish: frozenset[str]  # translated msgids (normalised)
    english: frozenset[str]  # their translations
    swedish_words: frozenset[str]
    english_words: frozenset[str]


def _fragments(text: str) -> list[str]:
    return [" ".join(part.split()) for part in PLACEHOLDER.split(text) if part.strip()]


def _django_swedish() -> list[tuple[str, str]]:
    """(English msgid, Swedish msgstr) of Django's own catalogues that Följa's pages use."""
    root = Path(django.__file__).parent
    pairs = []
    for part in ("conf", "contrib/admin", "contrib/auth", "contrib/contenttypes"):
        mo = root / part / "locale/sv/LC_MESSAGES/django.mo"
        if mo.exists():
            with mo.open("rb") as f:
                entries = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
            for key, swedish in entries.items():
                english = (key[0] if isinstance(key, tuple) else key).split("\x04", 1)[-1]
                if english:
                    pairs.append((english, swedish))
    return pairs


@cache
def catalogue() -> Catalogue:
    mo = settings.BASE_DIR / "folja/locale/en/LC_MESSAGES/django.mo"
    with mo.open("rb") as f:
        entries = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    pairs: list[tuple[str, str]] = []
    for key, english in entries.items():
        swedish = key[0] if isinstance(key, tuple) else key
        if not swedish or ("\x04" in swedish and not swedish.split("\x04", 1)[1]):
            continue
        swedish = swedish.split("\x04", 1)[-1]  # drop a context
        pairs.append((swedish, english))
    sv_all = " ".join(_words(s) for s, _ in pairs)
    en_all = " ".join(_words(e) for _, e in pairs)
    swedish = {
        frag for s, e in pairs if s != e for frag in _fragments(s) if _words(frag) not in en_all
    }
    english = {
        frag for s, e in pairs if s != e for frag in _fragments(e) if _words(frag) not in sv_all
    }
    # Django's own English (form errors, the admin), where Django translates it to Swedish:
    # phrases only, since its single words ("Status") are often Swedish too.
    django_pairs = _django_swedish()
    django_sv = " ".join(_words(sv) for _, sv in django_pairs)
    english |= {
        frag
        for en, sv in django_pairs
        if en != sv
        for frag in _fragments(en)
        if len(WORD.findall(frag)) >= MIN_PHRASE_WORDS
        and _words(frag) not in sv_all
        and _words(frag) not in django_sv
    }
    return Catalogue(
        swedish=frozenset(swedish),
        english=frozenset(english),
        swedish_words=frozenset(w.lower() for w in WORD.findall(sv_all)),
        english_words=frozenset(w.lower() for w in WORD.findall(en_all)),
    )


@cache
def _checks(lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]], set[str]]:
    """What to look for on a page in `lang`, prepared once: codes (as padded words), foreign
    phrases of three words or more (padded), and foreign labels (as their words)."""
    cat = catalogue()
    own_words = cat.swedish_words if lang == "sv" else cat.english_words
    foreign = cat.english if lang == "sv" else cat.swedish
    codes = [(c, _words(c)) for c in sorted(raw_codes()) if not c.isalnum() or c not in own_words]
    phrases, labels = [], set()
    for phrase in sorted(foreign):
        words = WORD.findall(phrase)
        if len(words) >= MIN_PHRASE_WORDS:
            phrases.append((phrase, _words(phrase)))
        elif words and phrase[0].isupper():
            labels.add(" ".join(words))
    return codes, phrases, labels


def problems(nodes: list[str], lang: str) -> list[str]:
    """What is wrong with a page's visible text in language `lang`."""
    codes, phrases, labels = _checks(lang)
    page = " ".join(_words(n) for n in nodes)
    found = [f"raw code {code!r}" for code, padded in codes if padded in page]
    found += [f"untranslated {phrase!r}" for phrase, padded in phrases if padded in page]
    node_words = {" ".join(WORD.findall(n)) for n in nodes}
    found += [f"untranslated label {label!r}" for label in sorted(labels & node_words)]
    return found


# --- the walk --------------------------------------------------------------------------------


CHART = re.compile(r'<(?:img|object)\b[^>]*?\b(?:src|data)="(/[^"]+?\.svg(?:\?[^"]*)?)"')


def _charts(html: str) -> list[str]:
    """The SVG charts a page shows from its own routes (static pictograms are files)."""
    return sorted({unescape(u) for u in CHART.findall(html) if not u.startswith("/static/")})


SHOWN_TYPES = ("text/html", "image/svg+xml")
# Pages that show their rows only for a query, and what to ask (from the own world's objects).
QUERIES = {"granskning/": lambda own: f"?q={own['person'].pseudonym}"}
# The access-log review reads what the walk itself logged, so it is walked last.
WALKED_LAST = ("granskning/",)
GET_ROUTES = {
    r: ROUTES[r]
    for r in sorted(
        (r for r, rule in ROUTES.items() if not rule.api and rule.method == "GET"),
        key=lambda r: (r.startswith(WALKED_LAST), r),
    )
}


def _with_every_reason_code(worlds) -> None:  # noqa: F811
    """The own world's session carries every reason code and its month's payment run is
    built, so the provider's session list and the run's excluded lines show each one."""
    session = worlds.own.objects["session"]
    Session.objects.filter(pk=session.pk).update(flags=list(REASON_TEXTS))
    run = worlds.own.objects["run"]
    payment_run_build(user=worlds.users["administrator"], provider=run.provider, month=run.month)
    assert run.lines.exists()


def test_every_page_speaks_its_language_and_shows_no_raw_code(worlds):  # noqa: F811
    _with_every_reason_code(worlds)
    failures: list[str] = []
    walked = 0
    seen: set[tuple[str, str, str]] = set()
    answers = walk(
        worlds,
        GET_ROUTES,
        allowed_own_roles(worlds),
        other_world=False,
        rolled_back=False,  # the access-log review shows what the walk logged
        langs=LANGUAGES,
        queries=QUERIES,
    )
    for answer in answers:
        if answer.status != 200 or not answer.content_type.startswith(SHOWN_TYPES):
            continue
        walked += 1
        url, who, lang = answer.url, answer.who, answer.lang
        html = answer.body.decode()
        nodes = visible_text(html, lang)
        failures += [f"{url} as {who} in {lang}: {p}" for p in problems(nodes, lang)]
        # The page's charts (SVG images it links to) carry labels too.
        for image in _charts(html):
            if (image, who, lang) in seen:
                continue
            seen.add((image, who, lang))
            chart = answer.client.get(image)
            if chart.status_code == 200:
                nodes = visible_text(chart.content.decode(), lang)
                failures += [f"{image} as {who} in {lang}: {p}" for p in problems(nodes, lang)]
    assert walked > len(GET_ROUTES)  # the walk saw pages, not only redirects
    assert failures == [], "\n".join(failures)


# --- the checks themselves -------------------------------------------------------------------


def test_the_checks_find_a_raw_code_and_text_in_the_wrong_language():
    sv_page = visible_text(
        "<p>Skäl: exceeds_grant</p><td>Women</td><p>The session overlaps another session</p>",
        "sv",
    )
    found = problems(sv_page, "sv")
    assert "raw code 'exceeds_grant'" in found
    assert any("Women" in p for p in found)
    # Django's own English, which Django translates to Swedish, counts too.
    assert problems(visible_text("<li>This field is required.</li>", "sv"), "sv")
    en_page = visible_text(
        "<th>Kvinnor</th><p>Det finns ingen aktiv beställning hos utföraren för passet.</p>", "en"
    )
    assert len(problems(en_page, "en")) == 2


def test_a_code_shown_on_purpose_or_text_in_another_language_is_not_a_fault():
    page = visible_text(
        '<p>Överskrider beviljad tid <code>exceeds_grant</code></p><button lang="en">In English'
        "</button><script>var x = 'person_file';</script>",
        "sv",
    )
    assert problems(page, "sv") == []


def test_the_code_sets_come_from_the_code():
    codes = raw_codes()
    expected = {"exceeds_grant", "evening", "caseworker", "person_file", "cancelled_by_person_late"}
    assert expected <= codes


# --- Django's admin (its own area of the matrix, staff only) ----------------------------------


def _folja_admin_models():
    return [m for m in admin.site._registry if m.__module__.startswith("folja.")]


def test_every_admin_page_of_folja_speaks_its_language(worlds):  # noqa: F811
    staff = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    urls = ["/admin/"]
    for model in _folja_admin_models():
        opts = model._meta
        urls += [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        ]
    failures = []
    for lang in LANGUAGES:
        client = Client(raise_request_exception=False)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        client.force_login(staff)
        for url in urls:
            response = client.get(url)
            if response.status_code == 403 and url.endswith("/add/"):
                continue  # a model the admin may not add to (recalculations are queued)
            assert response.status_code == 200, url
            nodes = visible_text(response.content.decode(), lang)
            failures += [
                f"{url} in {lang}: {p}"
                for p in problems(nodes, lang)
                # The admin is where reference data's codes are edited: they are its data.
                # Django's own search form writes alt="Search" untranslated.
                if not p.startswith("raw code") and p != "untranslated label 'Search'"
            ]
    assert failures == [], "\n".join(failures)


def test_every_model_in_the_admin_has_a_swedish_name_and_plural_and_their_translations():
    untranslated = []
    for model in _folja_admin_models():
        opts = model._meta
        with translation.override("sv"):
            sv = (str(opts.verbose_name), str(opts.verbose_name_plural))
        with translation.override("en"):
            en = (str(opts.verbose_name), str(opts.verbose_name_plural))
        # "användare" and "lagrum" are their own plurals in Swedish, not in English.
        if sv[0] == en[0] or sv[1] == en[1] or en[0] == en[1] or en[1].endswith("ss"):
            untranslated.append((opts.label, sv, en))
    assert untranslated == []
