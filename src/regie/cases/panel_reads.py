"""One read of the rows several panels of the case page need.

The plan, aftercare, the network, the mandate and the lessons each show the case's goals,
assessments, referrals or decisions in their own way; read apart, the page asked for the same rows
up to three times (issue 2's bench: 7 of 30 queries). `reads_for(request, case)` reads each set at
most once per request, on first use, and the panels take what they need from it.

Only the case page's panels use it, within one request: the rows are never cached across requests
or writes.

Most cases have rows in only some of the panels (a fresh case has no plan, no partners, no
decisions yet). `has(kind)` answers for all kinds at once from one hand-written query of EXISTS
tests, so a panel with nothing to show costs no query of its own (nor the ORM's compiling of one).
"""

from functools import cached_property

from django.db import connection


def _probes() -> dict[str, tuple[str, str, str, str]]:
    """kind -> (table, column, extra condition, "case" or "household"): what `has(kind)` looks
    for, by the case's or its household's id."""
    from regie.cases.models import TimelineEntry
    from regie.mandate.models import Decision
    from regie.meetings.models import CaseQuestion
    from regie.network.models import Consent, Referral
    from regie.plans.models import AftercareCheck, Assessment, Evaluation, Goal, PlanSignature
    from regie.signalling.models import CaseSignal, MunicipalitySignal

    plain = {
        "assessments": Assessment,
        "goals": Goal,
        "signatures": PlanSignature,
        "consents": Consent,
        "referrals": Referral,
        "evaluations": Evaluation,
        "aftercare_checks": AftercareCheck,
        "decisions": Decision,
        "meeting_questions": CaseQuestion,
    }
    probes = {kind: (model._meta.db_table, "case_id", "", "case") for kind, model in plain.items()}
    probes["meeting_entries"] = (TimelineEntry._meta.db_table, "case_id", " AND kind = 'meeting'", "case")
    probes["open_signals"] = (CaseSignal._meta.db_table, "case_id", " AND acknowledged_at IS NULL", "case")
    # Any accepted municipality signal: its collection pause may still run (the page checks the date).
    accepted = MunicipalitySignal.Status.ACCEPTED.value
    probes["pause"] = (MunicipalitySignal._meta.db_table, "tenancy_id", f" AND status = '{accepted}'", "household")
    return probes


_SQL: tuple[list[str], list[str], str] | None = None


def _probe_sql() -> tuple[list[str], list[str], str]:
    global _SQL  # built once per process: table names come from the models, never from input
    if _SQL is None:
        probes = _probes()
        quote = connection.ops.quote_name
        # Table names and conditions are ours (see _probes); the ids are bound parameters.
        sql = "EXISTS (SELECT 1 FROM {} WHERE {} = %s{})"
        parts = [sql.format(quote(table), column, extra) for table, column, extra, _ in probes.values()]
        _SQL = (list(probes), [by for *_, by in probes.values()], "SELECT " + ", ".join(parts))
    return _SQL


class CaseReads:
    def __init__(self, case):
        self.case = case

    @cached_property
    def _present(self) -> dict[str, bool]:
        kinds, ids, sql = _probe_sql()
        by = {"case": self.case.pk, "household": self.case.household_id}
        with connection.cursor() as cursor:
            cursor.execute(sql, [by[i] for i in ids])
            row = cursor.fetchone()
        return {kind: bool(value) for kind, value in zip(kinds, row, strict=True)}

    def has(self, kind: str) -> bool:
        """Whether the case has any row of this kind (see `_probes`)."""
        return self._present[kind]

    @cached_property
    def assessments(self) -> list:
        """Oldest first, each with its scores and author (plans.selectors.assessments_of)."""
        from regie.plans.selectors import assessments_of

        return assessments_of(self.case) if self.has("assessments") else []

    @cached_property
    def goals(self) -> list:
        """In the ZRM's domain order, each with its actions (plans.selectors.plan_goals)."""
        from regie.plans.selectors import plan_goals

        return plan_goals(self.case) if self.has("goals") else []

    @cached_property
    def referrals(self) -> list:
        from regie.network.selectors import case_referrals

        return case_referrals(self.case) if self.has("referrals") else []

    @cached_property
    def decisions(self) -> list:
        from regie.mandate.selectors import decisions_for_case

        return decisions_for_case(self.case) if self.has("decisions") else []

    def actions(self) -> list:
        """Every action of the plan (they all hang under a goal), from the goals' read."""
        return [a for g in self.goals for a in g.actions.all()]


def reads_for(request, case) -> CaseReads:
    """The request's reads of this case, made on first use."""
    cache = request.__dict__.setdefault("_case_reads", {})
    reads = cache.get(case.pk)
    if reads is None or reads.case is not case:
        reads = cache[case.pk] = CaseReads(case)
    return reads
