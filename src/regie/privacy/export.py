"""Everything Regie holds about one person (AVG art. 15): as JSON with a schema version, and as a
readable Dutch PDF. Both are built from `subject_export(user, person)`.

The shape (schema_version 1; every date ISO 8601, every moment ISO 8601 with offset, UTC):

    {"schema": "regie.subject-export", "schema_version": 1, "generated_at": …,
     "person": {person_id, role, first_name, name_prefix, last_name, birth_date, phone, email},
     "household": {id, tenancy_id, address, postcode, city, start_date, end_date, monthly_rent,
                   members: [{role}]},                       # other members by role only
     "arrears": [{date, balance}], "events": [{date, source, type, type_name, severity, description}],
     "signals": [{date, domains, score, multi_problem}],
     "municipality_signals": [{as_of, arrears_since, arrears_amount, status, sent_at, answered_at}],
     "cases": [{id, status, opened_at, closed_at, outcome, outcome_note, question, next_step,
                director, archive_status, timeline: [{at, kind, text}],
                contacts: [{at, channel, summary, took_part}],
                assessments: [{moment, assessed_on, note, scores: [{domain, score, note}]}],
                goals: [{domain, text, status, target_date, actions: [{what, who, due, status, outcome}]}],
                consents: [{organisation, purpose, domains, given_on, form, valid_until, withdrawn_on, has_document}],
                referrals: [{organisation, sent_at, status, reason, shared, legal_ground}],
                decisions: [{measure, status, value, on_date, problem, justification, created_at}],
                meetings: [{date, item, advice, decision}], aftercare: [{due, result, note}]}],
     "access_log": [{at, user, role, action, record_type, record_id, purpose, channel, outcome, emergency}]}

The access log part lists every entry on the person, his household, its cases and their actions,
newest first; each record kind is read with one query on the (record_type, record_id, -at) index.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from regie.accounts.models import Role
from regie.audit.models import AccessLogEntry
from regie.cases.models import Case
from regie.housing.models import Person

SCHEMA_VERSION = 1


def _iso(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _clean(d: dict) -> dict:
    return {k: _iso(v) for k, v in d.items()}


def person_for_privacy(user, pk) -> Person:
    """The privacy officer's look-up of one person; 404 for anyone else, and for no such person."""
    if not user.is_authenticated or user.role != Role.PRIVACY:
        raise Http404
    try:
        return Person.objects.select_related("tenancy__unit").get(pk=pk)
    except (Person.DoesNotExist, ValueError) as err:
        raise Http404 from err


def _cases(person: Person) -> list[dict]:
    from regie.mandate.models import Decision
    from regie.meetings.models import AgendaItem
    from regie.network.models import Consent, Referral
    from regie.plans.models import AftercareCheck, Assessment, Goal

    cases = list(
        Case.objects.filter(household_id=person.tenancy_id)
        .select_related("director")
        .prefetch_related("timeline", "contacts__persons")
        .order_by("opened_at")
    )
    ids = [c.pk for c in cases]
    by_case = {pk: {} for pk in ids}

    def group(key, rows):
        for case_id, row in rows:
            by_case[case_id].setdefault(key, []).append(row)

    group(
        "assessments",
        (
            (
                a.case_id,
                {
                    "moment": a.moment,
                    "assessed_on": _iso(a.assessed_on),
                    "note": a.note,
                    "scores": [{"domain": s.domain, "score": s.score, "note": s.note} for s in a.scores.all()],
                },
            )
            for a in Assessment.objects.filter(case_id__in=ids).prefetch_related("scores")
        ),
    )
    group(
        "goals",
        (
            (
                g.case_id,
                {
                    "domain": g.domain,
                    "text": g.text,
                    "status": g.status,
                    "target_date": _iso(g.target_date),
                    "actions": [
                        _clean({"what": a.what, "who": a.who, "due": a.due, "status": a.status, "outcome": a.outcome})
                        for a in g.actions.all()
                    ],
                },
            )
            for g in Goal.objects.filter(case_id__in=ids).prefetch_related("actions")
        ),
    )
    group(
        "consents",
        (
            (
                c.case_id,
                _clean(
                    {
                        "organisation": c.organisation.name if c.organisation_id else "",
                        "purpose": c.purpose,
                        "domains": c.domains,
                        "given_on": c.given_on,
                        "form": c.form,
                        "valid_until": c.valid_until,
                        "withdrawn_on": c.withdrawn_on,
                        "has_document": bool(c.document),
                    }
                ),
            )
            for c in Consent.objects.filter(case_id__in=ids, person=person).select_related("organisation")
        ),
    )
    group(
        "referrals",
        (
            (
                r.case_id,
                _clean(
                    {
                        "organisation": r.organisation.name,
                        "sent_at": r.sent_at,
                        "status": r.status,
                        "reason": r.reason,
                        "shared": r.shared,
                        "legal_ground": r.legal_ground,
                    }
                ),
            )
            for r in Referral.objects.filter(case_id__in=ids).select_related("organisation")
        ),
    )
    group(
        "decisions",
        (
            (
                d.case_id,
                _clean(
                    {
                        "measure": d.measure.name,
                        "status": d.status,
                        "value": d.value,
                        "on_date": d.on_date,
                        "problem": d.problem,
                        "justification": d.justification,
                        "created_at": d.created_at,
                    }
                ),
            )
            for d in Decision.objects.filter(case_id__in=ids).select_related("measure")
        ),
    )
    group(
        "meetings",
        (
            (
                i.case_id,
                _clean(
                    {"date": i.meeting.starts_at.date(), "item": i.title, "advice": i.advice, "decision": i.decision}
                ),
            )
            for i in AgendaItem.objects.filter(case_id__in=ids, removed=False).select_related("meeting")
        ),
    )
    group(
        "aftercare",
        (
            (a.case_id, _clean({"due": a.due, "result": a.result, "note": a.note}))
            for a in AftercareCheck.objects.filter(case_id__in=ids)
        ),
    )
    from regie.privacy.models import CaseArchive

    archive = dict(CaseArchive.objects.filter(case_id__in=ids).values_list("case_id", "archive_status"))
    out = []
    for c in cases:
        row = _clean(
            {
                "id": c.pk,
                "status": c.status,
                "opened_at": c.opened_at,
                "closed_at": c.closed_at,
                "outcome": c.outcome,
                "outcome_note": c.outcome_note,
                "question": c.question,
                "next_step": c.next_step,
                "director": str(c.director),
                "archive_status": archive.get(c.pk, "ACT"),
            }
        )
        row["timeline"] = [_clean({"at": t.at, "kind": t.kind, "text": t.text}) for t in c.timeline.all()]
        row["contacts"] = [
            _clean(
                {
                    "at": k.at,
                    "channel": k.channel,
                    "summary": k.summary,
                    "took_part": any(p.pk == person.pk for p in k.persons.all()),
                }
            )
            for k in c.contacts.all()
        ]
        for key in ("assessments", "goals", "consents", "referrals", "decisions", "meetings", "aftercare"):
            row[key] = by_case[c.pk].get(key, [])
        out.append(row)
    return out


def access_entries(*, person: Person, case_ids: list[int]) -> list[dict]:
    """Who looked at or changed this person's records, newest first (one indexed query per kind)."""
    from regie.plans.models import Action

    action_ids = list(Action.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    wanted = {
        "person": [person.pk],
        "household": [person.tenancy_id],
        "case": case_ids,
        "action": action_ids,
    }
    fields = (
        "at",
        "username",
        "user_role",
        "action",
        "record_type",
        "record_id",
        "purpose",
        "channel",
        "outcome",
        "emergency",
    )
    rows = []
    for record_type, ids in wanted.items():
        for start in range(0, len(ids), 500):
            rows += list(
                AccessLogEntry.objects.filter(
                    record_type=record_type, record_id__in=[str(i) for i in ids[start : start + 500]]
                )
                .order_by("-at")
                .values_list(*fields)
            )
    rows.sort(key=lambda r: r[0], reverse=True)
    return [
        {
            "at": _iso(r[0]),
            "user": r[1],
            "role": r[2],
            "action": r[3],
            "record_type": r[4],
            "record_id": r[5],
            "purpose": r[6],
            "channel": r[7],
            "outcome": r[8],
            "emergency": r[9],
        }
        for r in rows
    ]


def subject_export(user, person: Person) -> dict:
    """Everything about `person`, for the privacy officer only (404 for anyone else)."""
    if not user.is_authenticated or user.role != Role.PRIVACY:
        raise Http404
    from regie.signalling.models import Flag, MunicipalitySignal

    tenancy = person.tenancy
    unit = tenancy.unit
    cases = _cases(person)
    return {
        "schema": "regie.subject-export",
        "schema_version": SCHEMA_VERSION,
        "generated_at": _iso(timezone.now()),
        "person": _clean(
            {
                "person_id": person.person_id,
                "role": person.role,
                "first_name": person.first_name,
                "name_prefix": person.name_prefix,
                "last_name": person.last_name,
                "birth_date": person.birth_date,
                "phone": person.phone,
                "email": person.email,
            }
        ),
        "household": _clean(
            {
                "id": tenancy.pk,
                "tenancy_id": tenancy.tenancy_id,
                "address": f"{unit.address}",
                "postcode": unit.postcode,
                "city": unit.city,
                "start_date": tenancy.start_date,
                "end_date": tenancy.end_date,
                "monthly_rent": tenancy.monthly_rent,
            }
        )
        | {"members": [{"role": r} for r in tenancy.persons.exclude(pk=person.pk).values_list("role", flat=True)]},
        "arrears": [
            _clean({"date": d, "balance": b})
            for d, b in tenancy.arrears.order_by("date").values_list("date", "balance")
        ],
        "events": [
            _clean(
                {
                    "date": e.date,
                    "source": e.source,
                    "type": e.type,
                    "type_name": e.type_name,
                    "severity": e.severity,
                    "description": e.description,
                }
            )
            for e in tenancy.events.order_by("date", "pk")
        ],
        "signals": [
            _clean({"date": f.run.as_of, "domains": f.domain_list, "score": f.score, "multi_problem": f.multi_problem})
            for f in Flag.objects.filter(tenancy=tenancy).select_related("run").order_by("run__as_of", "pk")
        ],
        "municipality_signals": [
            _clean(
                {
                    "as_of": m.as_of,
                    "arrears_since": m.arrears_since,
                    "arrears_amount": m.arrears_amount,
                    "status": m.status,
                    "sent_at": m.sent_at,
                    "answered_at": m.answered_at,
                }
            )
            for m in MunicipalitySignal.objects.filter(tenancy=tenancy).order_by("sent_at")
        ],
        "cases": cases,
        "access_log": access_entries(person=person, case_ids=[c["id"] for c in cases]),
    }


# -- the readable PDF -----------------------------------------------------------------------------

ACTION_WORDS = {
    "create": "aangemaakt",
    "read": "bekeken",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "export": "geëxporteerd",
}
RECORD_WORDS = {"person": "uw gegevens", "household": "uw huishouden", "case": "casus", "action": "actie"}
ROLE_WORDS = {
    "professional": "regisseur",
    "manager": "leidinggevende",
    "department": "collega van een afdeling",
    "admin": "functioneel beheerder",
    "privacy": "privacyfunctionaris",
    "board": "bestuurder",
    "system": "Regie zelf (automatisch)",
}
PURPOSE_WORDS = {
    "case_direction": "casusregie",
    "supervision": "leidinggeven",
    "task": "uitvoeren van een taak",
    "configuration": "beheer",
    "privacy_audit": "privacytoezicht",
    "retention": "bewaartermijn",
    "reminder": "herinnering",
}


def _local(value: str) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def export_html(data: dict) -> str:
    entries = [
        e
        | {
            "when": _local(e["at"]),
            "what": ACTION_WORDS.get(e["action"], e["action"]),
            "role": ROLE_WORDS.get(e["role"], e["role"]),
            "purpose": PURPOSE_WORDS.get(e["purpose"], e["purpose"]),
            "record": f"{RECORD_WORDS.get(e['record_type'], e['record_type'])} {e['record_id']}",
        }
        for e in data["access_log"]
    ]
    with translation.override("nl"):
        return render_to_string("privacy/subject_export_pdf.html", {"d": data, "entries": entries})


def export_pdf_bytes(data: dict) -> bytes:
    from weasyprint import HTML

    # No base URL: the document loads nothing from outside itself.
    return HTML(string=export_html(data)).write_pdf()
