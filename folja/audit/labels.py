"""The access log's codes in words: what was read (`what`) and the reader's role.

The log stores codes (the export and any system reading it keep them); a reviewer reads the
label. Every `what=` a view, API endpoint or command passes to `log_access` has its label here
(`test_every_access_kind_written_in_the_code_has_a_label` finds a new one without)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from folja.accounts.models import Role

ACCESS_KINDS = {
    "person_file": _("Personakt"),
    "caseload": _("Ärendelista"),
    "worklist": _("Arbetslista"),
    "task": _("Uppgift"),
    "application": _("Ansökan"),
    "assessment": _("Utredning"),
    "decision": _("Beslut"),
    "decision_support": _("Beslutsstöd"),
    "decision_letter": _("Beslutsbrev"),
    "appeal": _("Överklagande"),
    "non_execution": _("Ej verkställt beslut"),
    "survey_invitation": _("Inbjudan till enkät"),
    "provider_choice": _("Val av utförare"),
    "order": _("Beställning"),
    "session": _("Pass"),
    "expense_claim": _("Utlägg"),
    "costly_activity": _("Mer kostsam aktivitet"),
    "receipt": _("Kvitto"),
    "feedback": _("Synpunkt"),
    "feedback_inbox": _("Inkomna synpunkter"),
    "åtkomstlogg": _("Åtkomstlogg"),
    "åtkomstlogg_sök": _("Åtkomstlogg: sökträff"),
    "person_register": _("Personregister"),
    "representative": _("Företrädare"),
    "named_staff": _("Namngiven personal för skyddad identitet"),
    "application_attachment": _("Bilaga till ansökan"),
    "portal_applications": _("Mina sidor: ansökningar"),
    "portal_application_form": _("Mina sidor: ny ansökan"),
    "portal_principals": _("Mina sidor: välj person"),
    "portal_hours": _("Mina sidor: timmar"),
    "portal_money": _("Mina sidor: pengar"),
    "portal_expense_form": _("Mina sidor: kvitto"),
    "portal_costly_form": _("Mina sidor: mer kostsam aktivitet"),
    "portal_providers": _("Mina sidor: utförare"),
    "portal_feedback": _("Mina sidor: synpunkter"),
    "portal_feedback_form": _("Mina sidor: ny synpunkt"),
    "accessible_statement": _("Information i tillgängliga format"),
    "accessible_statement_cli": _("Information i tillgängliga format, via kommandoraden"),
    "accessible_statement_html": _("Information nedladdad: lättläst text"),
    "accessible_statement_pictogram": _("Information nedladdad: text med bilder"),
    "accessible_statement_brf": _("Information nedladdad: punktskrift"),
    "accessible_statement_daisy": _("Information nedladdad: talbok"),
    "accessible_guide": _("Allmän information om ledsagning"),
    "accessible_guide_html": _("Allmän information nedladdad: lättläst text"),
    "accessible_guide_pictogram": _("Allmän information nedladdad: text med bilder"),
    "accessible_guide_brf": _("Allmän information nedladdad: punktskrift"),
    "accessible_guide_daisy": _("Allmän information nedladdad: talbok"),
    "provider: order inbox": _("Utförare: inkomna beställningar"),
    "provider: order": _("Utförare: beställning"),
    "provider: implementation plan": _("Utförare: genomförandeplan"),
    "provider: matching": _("Utförare: matchning"),
    "provider: booking": _("Utförare: bokning"),
    "provider: sessions": _("Utförare: passlista"),
    "provider: session": _("Utförare: pass"),
    "provider: expense claims": _("Utförare: utlägg"),
    "provider: expense claim form": _("Utförare: nytt utlägg"),
    "payment: run": _("Utbetalning"),
    "payment: specification": _("Utbetalning: specifikation"),
    "api: orders": _("API: beställningar"),
    "api: order": _("API: beställning"),
    "api: sessions": _("API: passlista"),
    "api: session": _("API: pass"),
    "api: expense claims": _("API: utlägg"),
    "api: expense claim": _("API: ett utlägg"),
    "pilot membership (pseudonym, baseline)": _("Försöksgrupp: deltagare och utgångsläge"),
    "pilot membership (pseudonym, baseline) via folja pilot": _(
        "Försöksgrupp: deltagare och utgångsläge, via kommandoraden"
    ),
    "scenario_export": _("Scenarioexport, via kommandoraden"),
}


def access_kind_label(code: str) -> str:
    """The label of what was read; an unknown code (a row older than its label) as itself."""
    return str(ACCESS_KINDS.get(code, code))


def role_label(code: str) -> str:
    """The label of a role code; "" (a system job) and an unknown code as themselves."""
    return str(Role(code).label) if code in Role.values else code
