"""What this app adds to the case page and the caseload (hooks called by regie.cases.views).

`case_context(request, case, *, may_manage, may_contribute)` returns extra context for the case
page: its consents, referrals (with "overdue" when a partner has not answered in time), and the
network picture with its table; `caseload_context(request)` extra context for the caseload page.
The templates are network/_case_network.html (main column) and _case_network_side.html (side).
The case page itself was authorised and logged by `case_for`; these are parts of that record.
"""

from django.urls import reverse
from django.utils import timezone

from regie.accounts.models import Department
from regie.cases.panel_reads import reads_for
from regie.network.forms import ReferralStatusForm, WithdrawForm
from regie.network.models import Referral
from regie.network.picture import RANK, Node, legend_svg, merge, network_svg
from regie.network.selectors import (
    case_consents,
    departments_by_code,
    is_overdue,
)
from regie.network.services import domain_labels
from regie.network.workflow import allowed_next
from regie.plans.models import Action
from regie.plans.sensitivity import PLACEHOLDER, is_sensitive, sees_sensitive


def _referral_state(referral: Referral, now) -> str:
    if is_overdue(referral, now):
        return "overdue"
    return referral.status


def network_nodes(case, consents, referrals, actions, now=None, labels=domain_labels) -> list[Node]:
    """Everyone engaged around the household: partners by referral (or, short of one, by a valid
    consent), departments by the plan's actions; one node each, in its liveliest state.
    `labels` words a list of domains (shielded ones as a placeholder for readers outside the team)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    nodes = []
    referred = set()
    for r in referrals:
        referred.add(r.organisation_id)
        nodes.append(
            Node(
                key=f"org-{r.organisation_id}",
                name=r.organisation.name,
                kind="partner",
                state=_referral_state(r, now),
                people=r.contact.name if r.contact else "",
                detail=labels(r.domains),
                url=reverse("network:organisation", args=[r.organisation_id]),
            )
        )
    for c in consents:
        if c.organisation_id and c.organisation_id not in referred and c.valid_on(today):
            nodes.append(
                Node(
                    key=f"org-{c.organisation_id}",
                    name=c.organisation.name,
                    kind="partner",
                    state="consent",
                    detail=labels(c.domains),
                    url=reverse("network:organisation", args=[c.organisation_id]),
                )
            )
    directory = departments_by_code({a.department for a in actions})
    labels = dict(Department.choices)
    for a in actions:
        org = directory.get(a.department)
        if a.status == Action.Status.DONE:
            state = "done"
        elif a.status == Action.Status.IN_PROGRESS:
            state = "in_progress"
        else:
            state = "open"
        if a.assignee:
            people = str(a.assignee)
        else:
            people = ", ".join(p.name for p in org.people.all() if p.is_active) if org else ""
        nodes.append(
            Node(
                key=f"dept-{a.department}",
                name=org.name if org else str(labels.get(a.department, a.department)),
                kind="department",
                state=state,
                people=people,
                detail=a.what[:80],
                url=reverse("network:organisation", args=[org.pk]) if org else "",
            )
        )
    return merge(nodes)


def department_actions(actions) -> list[Action]:
    """The plan's actions for internal departments, as network.selectors.case_department_actions
    reads them, taken from the actions the case page has read already."""
    rows = [a for a in actions if a.who == Action.Who.DEPARTMENT and a.status != Action.Status.CANCELLED]
    rows.sort(key=lambda a: (a.department, a.due is None, a.due, a.pk))
    return rows


def shielded_labels(codes) -> str:
    """The domains' labels, a sensitive one replaced by the placeholder (once)."""
    codes = list(codes)
    shown = [c for c in codes if not is_sensitive(c)]
    hidden = len(shown) < len(codes)
    return ", ".join([domain_labels(shown)] * bool(shown) + [str(PLACEHOLDER)] * hidden)


def case_context(request, case, *, may_manage: bool, may_contribute: bool) -> dict:
    now = timezone.now()
    today = timezone.localdate(now)
    reads = reads_for(request, case)
    consents = case_consents(case) if reads.has("consents") else []
    referrals = reads.referrals
    actions = department_actions(reads.actions())
    # Outside the case team the sensitive domains (mental health, substance use, justice) show as
    # the placeholder, and so does what a referral touching one of them says (plans.sensitivity).
    sees = sees_sensitive(request.user, case)
    labels = domain_labels if sees else shielded_labels
    for c in consents:
        c.valid_today = c.valid_on(today)
        c.domain_text = labels(c.domains)
        if may_contribute and c.withdrawn_on is None:
            c.withdraw_form = WithdrawForm(auto_id=f"id_withdraw{c.pk}_%s")
    for r in referrals:
        r.overdue = is_overdue(r, now)
        r.domain_text = labels(r.domains)
        if not sees and any(is_sensitive(d) for d in r.domains):
            r.reason = r.shared = str(PLACEHOLDER)  # for this page only; never saved
        r.no_agreement = not r.organisation.agreement_in_force(today)
        r.history = list(r.events.all())
        if may_contribute and allowed_next(r.status):
            r.status_form = ReferralStatusForm(referral=r)
    nodes = network_nodes(case, consents, referrals, actions, now, labels=labels)
    states = sorted({n.state for n in nodes}, key=RANK.index)
    return {
        "network_consents": consents,
        "network_referrals": referrals,
        "network_overdue": sum(r.overdue for r in referrals),
        "network_nodes": nodes,
        "network_svg": network_svg(case.household.name, nodes) if nodes else "",
        "network_legend": legend_svg(states) if nodes else "",
        "network_may_change": may_contribute and case.is_open,
        "network_valid_consents": sum(c.valid_today for c in consents),
    }


def caseload_context(request) -> dict:
    return {}
