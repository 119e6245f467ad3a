"""One read of the rows several panels of the case page need.

The plan, aftercare, the network, the mandate and the lessons each show the case's goals,
assessments, referrals or decisions in their own way; read apart, the page asked for the same rows
up to three times (issue 2's bench: 7 of 30 queries). `reads_for(request, case)` reads each set at
most once per request, on first use, and the panels take what they need from it.

Only the case page's panels use it, within one request: the rows are never cached across requests
or writes.
"""

from functools import cached_property


class CaseReads:
    def __init__(self, case):
        self.case = case

    @cached_property
    def assessments(self) -> list:
        """Oldest first, each with its scores and author (plans.selectors.assessments_of)."""
        from regie.plans.selectors import assessments_of

        return assessments_of(self.case)

    @cached_property
    def goals(self) -> list:
        """In the ZRM's domain order, each with its actions (plans.selectors.plan_goals)."""
        from regie.plans.selectors import plan_goals

        return plan_goals(self.case)

    @cached_property
    def referrals(self) -> list:
        from regie.network.selectors import case_referrals

        return case_referrals(self.case)

    @cached_property
    def decisions(self) -> list:
        from regie.mandate.selectors import decisions_for_case

        return decisions_for_case(self.case)

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
