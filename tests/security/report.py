"""The access matrix as a Markdown table: one row per URL and team side, one column per role."""

from dataclasses import dataclass, field

from tests.security.world import ROLES


@dataclass
class Row:
    url: str
    side: str
    role: str
    got: str  # what was answered, e.g. "200", "404", "GET 405 → POST 302"
    expected: str  # the class expected: ok, 404, 403, 405
    passed: bool
    note: str = ""


@dataclass
class Collector:
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def markdown(self) -> str:
        cells: dict[tuple[str, str], dict[str, Row]] = {}
        for row in self.rows:
            cells.setdefault((row.url, row.side), {})[row.role] = row
        failed = sum(not r.passed for r in self.rows)
        lines = [
            "# Access matrix",
            "",
            f"{len(self.rows)} requests, {failed} not as expected (marked ✗). Every user is in team A; "
            "*own* fills the URL with team A's record, *other* with team B's, *shared* with a record of no "
            "team, *-* has no parameters. A cell is `answer (expected)`: *ok* is 2xx/3xx (or 400 for the "
            "empty input, after the access check), *login* a redirect to the login page, 404 the "
            "need-to-know answer, 403/409 deliberate where the note says why. `GET 405 → POST` means the "
            "view takes POST only and was sent an empty form. A note starting FINDING is a known gap, "
            "marked xfail (tests/security/expected.py).",
            "",
            "| url | team | " + " | ".join(ROLES) + " | note |",
            "|---|---|" + "---|" * len(ROLES) + "---|",
        ]
        for (url, side), by_role in cells.items():
            row = [url, side]
            notes = []
            for role in ROLES:
                r = by_role.get(role)
                if r is None:
                    row.append("")
                    continue
                row.append(f"{r.got} ({r.expected})" + ("" if r.passed else " ✗"))
                if r.note and r.note not in notes:
                    notes.append(r.note)
            lines.append("| " + " | ".join([*row, "; ".join(notes)]) + " |")
        return "\n".join(lines) + "\n"
