"""The case's network as a picture: the household in the middle, everyone engaged around it, each
line drawn by the state of the engagement. Server-drawn SVG (no script), styled with presentation
attributes (the CSP forbids inline styles), always with the same facts as a table beside it.

Status is never colour alone: every line also differs in dash pattern and carries its state as
text on the node.
"""

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from regie.network.models import Referral
from regie.plans.models import Action

# state -> (stroke colour, width, dash pattern); colours from the stylesheet's tokens.
LINE = {
    "in_progress": ("#1c5e2d", 3, ""),
    "accepted": ("#1c5e2d", 2, ""),
    "overdue": ("#a4161a", 3, "8 4"),
    "sent": ("#0b5394", 2, "8 4"),
    "open": ("#0b5394", 2, ""),
    "consent": ("#4a5565", 1.5, "2 5"),
    "declined": ("#4a5565", 1.5, "2 3"),
    "done": ("#4a5565", 1, ""),
    "ended": ("#4a5565", 1, ""),
}
# When an organisation is engaged more than once, the liveliest engagement is the one drawn.
RANK = ["in_progress", "accepted", "overdue", "sent", "open", "consent", "declined", "done", "ended"]
MAX_NODES = 12


def state_labels() -> dict[str, str]:
    return {
        "in_progress": str(Referral.Status.IN_PROGRESS.label),
        "accepted": str(Referral.Status.ACCEPTED.label),
        "overdue": _("No answer in time"),
        "sent": _("Waiting for an answer"),
        "open": str(Action.Status.OPEN.label),
        "consent": _("Consent, not referred"),
        "declined": str(Referral.Status.DECLINED.label),
        "done": str(Action.Status.DONE.label),
        "ended": str(Referral.Status.ENDED.label),
    }


@dataclass
class Node:
    key: str  # "org-<pk>" or "dept-<code>": one node per organisation or department
    name: str
    kind: str  # "partner" or "department"
    state: str
    people: str = ""  # the contact person(s) engaged
    detail: str = ""  # what: the referral's domains or the department's actions
    url: str = ""

    @property
    def state_label(self) -> str:
        return state_labels()[self.state]


def merge(nodes: list[Node]) -> list[Node]:
    """One node per organisation: the liveliest state, the people and details joined."""
    out: dict[str, Node] = {}
    for n in nodes:
        seen = out.get(n.key)
        if seen is None:
            out[n.key] = n
            continue
        if RANK.index(n.state) < RANK.index(seen.state):
            seen.state = n.state
        for attr in ("people", "detail"):
            parts = [p for p in (getattr(seen, attr), getattr(n, attr)) if p]
            setattr(seen, attr, "; ".join(dict.fromkeys(parts)))
    return sorted(out.values(), key=lambda n: (RANK.index(n.state), n.kind, n.name))


def _short(text: str, n: int = 26) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def network_svg(household_name: str, nodes: list[Node], *, title_id: str = "network-title") -> SafeString:
    """The picture; `nodes` as `merge` returns them. At most MAX_NODES are drawn (the table has all)."""
    width, height = 720, 420
    cx, cy, rx, ry = width / 2, height / 2, 270, 155
    box_w, box_h = 170, 42
    drawn = nodes[:MAX_NODES]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {title_id}-desc" class="network-picture" width="100%">',
        f'<title id="{title_id}">{escape(_("Network of household %(name)s") % {"name": household_name})}</title>',
        f'<desc id="{title_id}-desc">{escape(_("The same facts are in the table beside the picture."))}</desc>',
    ]
    boxes = []
    for i, node in enumerate(drawn):
        angle = 2 * math.pi * i / max(len(drawn), 1) - math.pi / 2
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        x = min(max(x, box_w / 2 + 2), width - box_w / 2 - 2)
        y = min(max(y, box_h / 2 + 2), height - box_h / 2 - 2)
        colour, stroke_w, dash = LINE[node.state]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{cx:.0f}" y1="{cy:.0f}" x2="{x:.0f}" y2="{y:.0f}" stroke="{colour}" '
            f'stroke-width="{stroke_w}"{dash_attr} class="edge edge-{node.state}"/>'
        )
        fill = "#f4f6f9" if node.kind == "department" else "#ffffff"
        boxes.append(
            f'<g class="node node-{node.kind}"><title>{escape(node.name)}: {escape(node.state_label)}</title>'
            f'<rect x="{x - box_w / 2:.0f}" y="{y - box_h / 2:.0f}" width="{box_w}" height="{box_h}" rx="4" '
            f'fill="{fill}" stroke="{colour}" stroke-width="{stroke_w}"{dash_attr}/>'
            f'<text x="{x:.0f}" y="{y - 4:.0f}" text-anchor="middle" font-size="12" font-weight="600" '
            f'fill="#1d2430">{escape(_short(node.name))}</text>'
            f'<text x="{x:.0f}" y="{y + 12:.0f}" text-anchor="middle" font-size="11" fill="#4a5565">'
            f"{escape(_short(node.state_label, 30))}</text></g>"
        )
    parts += boxes
    parts.append(
        f'<g class="node node-household"><circle cx="{cx:.0f}" cy="{cy:.0f}" r="46" fill="#0b5394"/>'
        f'<text x="{cx:.0f}" y="{cy - 2:.0f}" text-anchor="middle" font-size="13" font-weight="700" fill="#ffffff">'
        f"{escape(_short(household_name, 16))}</text>"
        f'<text x="{cx:.0f}" y="{cy + 14:.0f}" text-anchor="middle" font-size="11" fill="#ffffff">'
        f"{escape(_('household'))}</text></g>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def legend_svg(states: list[str]) -> SafeString:
    """A small key to the lines, for the states the picture uses."""
    labels = state_labels()
    rows = []
    for i, state in enumerate(states):
        colour, stroke_w, dash = LINE[state]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        y = 12 + i * 20
        rows.append(
            f'<line x1="2" y1="{y}" x2="42" y2="{y}" stroke="{colour}" stroke-width="{stroke_w}"{dash_attr}/>'
            f'<text x="50" y="{y + 4}" font-size="12" fill="#1d2430">{escape(labels[state])}</text>'
        )
    height = 20 * len(states) + 4
    return mark_safe(  # noqa: S308 - escaped labels and our own numbers
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 {height}" width="240" height="{height}" '
        f'aria-hidden="true" class="network-legend">{"".join(rows)}</svg>'
    )
