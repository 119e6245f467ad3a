"""Fill the bench database with a large corporation, fast: PostgreSQL COPY for every big table.

50,000 households (units in several areas served by teams, tenancies, ~2.5 persons each, monthly
arrears snapshots, events), 10,000 cases over 300 professionals (30 open cases each, every status,
one open case per household), their case teams, contacts and 500,000 timeline entries.

The few hundred users, areas and teams go through the ORM (`bulk_create`); every other table is
written with `COPY ... FROM STDIN` on Django's own psycopg connection, with explicit ids so rows can
reference each other without a round trip, and the id sequences reset afterwards. Random but
seeded: two fills give the same data.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import psycopg

from config import DataSet
from vocab import (
    AREAS,
    CHANNELS,
    DISTRICTS,
    EVENT_TYPES,
    FIRST_NAMES,
    LEGAL_TYPES,
    NEXT_STEPS,
    OPEN_STATUSES,
    OUTCOMES,
    STATUS_PATH,
    STREETS,
    SUMMARIES,
    SURNAMES,
)

SEED = 20250201


def ensure_database(url: str) -> bool:
    """Create the bench database if it isn't there; True when it was created."""
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def counts() -> dict[str, int]:
    from regie.accounts.models import Role, User
    from regie.cases.models import Case, TimelineEntry
    from regie.housing.models import Tenancy

    return {
        "households": Tenancy.objects.count(),
        "professionals": User.objects.filter(role=Role.PROFESSIONAL).count(),
        "cases": Case.objects.count(),
        "timeline_entries": TimelineEntry.objects.count(),
    }


def is_filled(ds: DataSet) -> bool:
    want = {
        "households": ds.households,
        "professionals": ds.professionals,
        "cases": ds.cases,
        "timeline_entries": ds.timeline_entries,
    }
    return counts() == want


def _copy(cur, model, fields: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into the model's table; `fields` are model field names, in the rows' order."""
    meta = model._meta
    columns = ", ".join(f'"{meta.get_field(f).column}"' for f in fields)
    n = 0
    with cur.copy(f'COPY "{meta.db_table}" ({columns}) FROM STDIN') as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
    return n


def _pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


class Filler:
    """Generates and writes the data set; `run()` returns row counts and seconds per table."""

    def __init__(self, ds: DataSet, url: str, *, log=print):
        self.ds = ds
        self.url = url
        self.rng = random.Random(SEED)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.today = self.now.date()
        self.log = log
        self.stats: dict[str, dict] = {}

    # -- the steps --------------------------------------------------------------------------------

    def run(self) -> dict[str, dict]:
        from django.core.management import call_command
        from django.db import connection

        from regie.audit.triggers import empty_throwaway_log

        # The bench database is a throwaway: its access log may be emptied (the guard refuses a
        # plain flush of a log that holds entries younger than its retention).
        empty_throwaway_log(connection)
        call_command("flush", interactive=False, verbosity=0)
        self.people()
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cur:
            self._skip_fk_checks(cur)
            self.housing(cur)
            raw.commit()
            self.cases(cur)
            raw.commit()
        self.finish()
        return self.stats

    def _skip_fk_checks(self, cur) -> None:
        """Foreign keys are checked by triggers, one query per row and key: the bulk of COPY's time.

        The generator writes only ids it made, so while it writes the triggers are off (superuser
        only; without the right the checks simply stay on), and `finish()` turns them back on.
        """
        try:
            cur.execute("SET session_replication_role = replica")
        except psycopg.Error:
            self.log("  (foreign-key checks stay on: no right to set session_replication_role)")

    def _timed(self, name: str, fn, *args) -> int:
        t0 = time.perf_counter()
        n = fn(*args)
        self.stats[name] = {"rows": n, "seconds": round(time.perf_counter() - t0, 2)}
        self.log(f"  {name:<22} {n:>9,} rows  {self.stats[name]['seconds']:6.1f} s")
        return n

    def people(self) -> None:
        """Areas, teams, professionals (and a manager per team) through the ORM: a few hundred rows."""
        from regie.accounts.models import Area, Department, Role, Team, User

        ds, rng = self.ds, self.rng
        t0 = time.perf_counter()
        areas = Area.objects.bulk_create(Area(code=c, name=n) for c, n in AREAS[: ds.areas])
        teams = Team.objects.bulk_create(
            Team(code=f"{a.code}-{i + 1}", name=f"Team {a.name} {i + 1}", area=a)
            for a in areas
            for i in range(ds.teams_per_area)
        )
        users = []
        for i in range(ds.professionals):
            users.append(
                User(
                    username=f"prof{i + 1:03d}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(SURNAMES),
                    role=Role.PROFESSIONAL,
                    department=Department.SOCIAL,
                    password="!bench-unusable",  # noqa: S106 - an unusable hash: nobody logs in with it
                )
            )
        for t in teams:
            users.append(
                User(
                    username=f"mgr-{t.code}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(SURNAMES),
                    role=Role.MANAGER,
                    password="!bench-unusable",  # noqa: S106
                )
            )
        users = User.objects.bulk_create(users)
        pros = [u for u in users if u.role == Role.PROFESSIONAL]
        managers = [u for u in users if u.role == Role.MANAGER]
        through = User.teams.through
        links = [through(user_id=u.pk, team_id=teams[i % len(teams)].pk) for i, u in enumerate(pros)]
        links += [through(user_id=m.pk, team_id=t.pk) for m, t in zip(managers, teams, strict=True)]
        through.objects.bulk_create(links)
        self.areas = [a.pk for a in areas]
        self.team_area = {t.pk: t.area_id for t in teams}
        self.pros = [(u.pk, teams[i % len(teams)].pk, f"{u.first_name} {u.last_name}") for i, u in enumerate(pros)]
        self.stats["users"] = {"rows": len(users), "seconds": round(time.perf_counter() - t0, 2)}
        self.log(f"  {'users, teams, areas':<22} {len(users):>9,} rows  {self.stats['users']['seconds']:6.1f} s")

    def housing(self, cur) -> None:
        from regie.housing.models import ArrearsSnapshot, Event, Person, Tenancy, Unit

        ds, rng = self.ds, self.rng
        n = ds.households
        # Units are spread over the areas in contiguous blocks; unit i houses tenancy i.
        self.hh_area = [self.areas[i * len(self.areas) // n] for i in range(n)]
        self.rent = [round(rng.uniform(480, 980), 2) for _ in range(n)]
        self.hh_name = [None] * n

        def units():
            for i in range(n):
                street = STREETS[(i // 120) % len(STREETS)]
                pc = f"{1000 + (i // 40) % 9000} {chr(65 + (i // 7) % 26)}{chr(65 + i % 26)}"
                yield (
                    i + 1,
                    f"VHE{i + 1:07d}",
                    street,
                    1 + (i % 120),
                    "" if i % 9 else "A",
                    pc,
                    "Regiestad",
                    DISTRICTS[(i // 2000) % len(DISTRICTS)],
                    self.hh_area[i],
                )

        unit_fields = [
            "id", "unit_id", "street", "house_number", "house_number_suffix", "postcode", "city", "district", "area",
        ]  # fmt: skip
        self._timed("units", _copy, cur, Unit, unit_fields, units())

        def tenancies():
            for i in range(n):
                name = rng.choice(SURNAMES)
                if rng.random() < 0.2:
                    name = f"{name}-{rng.choice(SURNAMES)}"
                name = name[0].upper() + name[1:]
                self.hh_name[i] = name
                start = date(rng.randint(1985, 2024), rng.randint(1, 12), rng.randint(1, 28))
                yield (i + 1, f"HO{i + 1:08d}", i + 1, start, None, f"{self.rent[i]:.2f}", name)

        fields = ["id", "tenancy_id", "unit", "start_date", "end_date", "monthly_rent", "name"]
        self._timed("tenancies", _copy, cur, Tenancy, fields, tenancies())

        # Persons: 1-4 per household, 2.5 on average; remember the first person of each household.
        self.first_person = [0] * n

        def persons():
            pid = 0
            for i in range(n):
                size = rng.randint(1, 4)
                last = self.hh_name[i].split("-")[0]
                for k in range(size):
                    pid += 1
                    if k == 0:
                        self.first_person[i] = pid
                        role, born = "HUU", rng.randint(1940, 2000)
                    elif k == 1 and rng.random() < 0.6:
                        role, born = "MDH", rng.randint(1940, 2000)
                    else:
                        role, born = "KIN", rng.randint(2001, 2022)
                    has_prefix = last.lower().startswith(("de ", "van "))
                    prefix, _, base = last.rpartition(" ") if has_prefix else ("", "", last)
                    yield (
                        pid,
                        f"REL{pid:09d}",
                        i + 1,
                        role,
                        rng.choice(FIRST_NAMES),
                        prefix,
                        base,
                        date(born, rng.randint(1, 12), rng.randint(1, 28)),
                        f"06{rng.randint(10000000, 99999999)}",
                        "",
                    )

        fields = [
            "id", "person_id", "tenancy", "role", "first_name", "name_prefix", "last_name", "birth_date", "phone",
            "email",
        ]  # fmt: skip
        self._timed("persons", _copy, cur, Person, fields, persons())

        # Arrears: a monthly balance per household; most in credit or zero, a fifth running up arrears.
        months = []
        y, m = self.today.year, self.today.month
        for _ in range(ds.arrears_months):
            months.append(date(y, m, 1))
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        months.reverse()
        self.arrears_heavy = set()

        def arrears():
            for i in range(n):
                rent = self.rent[i]
                r = rng.random()
                if r < 0.8:
                    base = 0.0 if r < 0.6 else -round(rng.uniform(1, rent), 2)
                    for d in months:
                        yield (i + 1, d, f"{base:.2f}")
                    continue
                balance, drift = 0.0, rng.uniform(0.05, 0.6) * rent
                for d in months:
                    balance = max(0.0, balance + rng.uniform(-0.5, 1.0) * drift)
                    yield (i + 1, d, f"{balance:.2f}")
                if balance >= 3 * rent:
                    self.arrears_heavy.add(i)

        self._timed("arrears snapshots", _copy, cur, ArrearsSnapshot, ["tenancy", "date", "balance"], arrears())

        # Events: ~2 per household over two years; legal steps for households deep in arrears.
        def events():
            eid = 0
            for i in range(n):
                count = rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 6))
                for _ in range(count):
                    eid += 1
                    type_, source, sev, _w = _pick(rng, EVENT_TYPES)
                    day = self.today - timedelta(days=rng.randint(0, 730))
                    yield (eid, source, f"B{eid:09d}", day, i + 1, i + 1, type_, rng.choice(sev), "")
                if i in self.arrears_heavy and rng.random() < 0.5:
                    eid += 1
                    day = self.today - timedelta(days=rng.randint(0, 300))
                    yield (eid, "INC", f"B{eid:09d}", day, i + 1, i + 1, rng.choice(LEGAL_TYPES), 3, "")
            for _ in range(ds.unit_events):
                eid += 1
                unit = rng.randint(1, n)
                day = self.today - timedelta(days=rng.randint(0, 730))
                yield (eid, "WIJ", f"B{eid:09d}", day, None, unit, "ZAAKTYPEDETAILSOORT.VUI", 1, "Zwerfvuil")

        fields = ["id", "source", "event_id", "date", "tenancy", "unit", "type", "severity", "description"]
        self._timed("events", _copy, cur, Event, fields, events())

    def cases(self, cur) -> None:
        from regie.cases.models import Case, CaseMember, Contact, TimelineEntry

        ds, rng = self.ds, self.rng
        by_area: dict[int, list[int]] = {}
        for i, a in enumerate(self.hh_area):
            by_area.setdefault(a, []).append(i)
        for hh in by_area.values():
            rng.shuffle(hh)
        taken = dict.fromkeys(by_area, 0)

        def household_in(area: int) -> int:
            k = taken[area]
            taken[area] = k + 1
            return by_area[area][k]

        plans = []  # (case id, household index, director, team, status)
        for pro, team, _name in self.pros:
            area = self.team_area[team]
            for _ in range(ds.open_cases_per_professional):
                plans.append([household_in(area), pro, team, _pick(rng, OPEN_STATUSES)[0]])
        for _ in range(ds.closed_cases):
            pro, team, _name = rng.choice(self.pros)
            # Closed cases belong to any household of the area, also ones with an open case now.
            plans.append([rng.choice(by_area[self.team_area[team]]), pro, team, "closed"])
        rng.shuffle(plans)
        names = {p: name for p, _t, name in self.pros}
        team_pros: dict[int, list[int]] = {}
        for p, t, _n in self.pros:
            team_pros.setdefault(t, []).append(p)

        case_rows, member_rows, contact_rows, cp_rows, entry_rows = [], [], [], [], []
        contact_id = entry_id = 0
        horizon = self.now - timedelta(hours=1)
        for case_id, (hh, pro, team, status) in enumerate(plans, start=1):
            closed = status == "closed"
            opened = self.now - timedelta(days=rng.randint(60 if closed else 5, 1100 if closed else 700))
            end = opened + timedelta(days=rng.randint(30, 50)) if closed else horizon
            end = min(end, horizon)
            span = (end - opened).total_seconds()
            times = sorted(opened + timedelta(seconds=rng.uniform(60, span)) for _ in range(ds.timeline_per_case - 1))
            # The entries besides "opened": the walk along the workflow (in order), contacts, the
            # question, a team change for cases with a second colleague, and next steps.
            steps = STATUS_PATH[: STATUS_PATH.index(status) + 1]
            walk = list(zip(steps, steps[1:], strict=False))
            colleague = None
            if rng.random() < ds.extra_member_share:
                colleague = rng.choice([p for p in team_pros[team] if p != pro])
            others = ["contact"] * ds.contacts_per_case + ["question"] + (["team"] if colleague else [])
            others += ["next_step"] * (ds.timeline_per_case - 1 - len(walk) - len(others))
            rng.shuffle(others)
            walk_at = set(rng.sample(range(len(times)), len(walk)))
            kinds, w = [], iter(walk)
            o = iter(others)
            for k in range(len(times)):
                kinds.append(("status", next(w)) if k in walk_at else (next(o), None))

            entry_id += 1
            entry_rows.append(
                (entry_id, case_id, opened, "opened", pro, json.dumps({"status": "signalled", "director": pro,
                 "director_name": names[pro]}), "", None)
            )  # fmt: skip
            last_contact = None
            due = None
            next_step = ""
            outcome = ""
            for at, (kind, step) in zip(times, kinds, strict=True):
                entry_id += 1
                data, text, contact = {}, "", None
                if kind == "status":
                    outcome = rng.choice(OUTCOMES) if step[1] == "closed" else ""
                    data = {"from": step[0], "to": step[1], "outcome": outcome}
                elif kind == "contact":
                    contact_id += 1
                    contact = contact_id
                    channel = rng.choice(CHANNELS)
                    contact_rows.append((contact_id, case_id, at, channel, "", rng.choice(SUMMARIES), pro, at, "[]"))
                    cp_rows.append((contact_id, self.first_person[hh]))
                    data = {"channel": channel}
                    last_contact = at
                elif kind == "question":
                    text = "Ik wil mijn schulden op een rij en rust in huis."
                elif kind == "team":
                    data = {"change": "added", "user": colleague, "user_name": names[colleague], "role": "BEH"}
                else:
                    next_step = rng.choice(NEXT_STEPS)
                    due = (at + timedelta(days=rng.randint(7, 42))).date()
                    text = next_step
                    data = {"due": due.isoformat()}
                entry_rows.append((entry_id, case_id, at, kind, pro, json.dumps(data), text, contact))
            member_rows.append((case_id, pro, "ZAA", opened, None))
            if colleague:
                member_rows.append((case_id, colleague, "BEH", opened + timedelta(days=3), None))
            case_rows.append(
                (
                    case_id,
                    hh + 1,
                    status,
                    pro,
                    team,
                    "Ik wil mijn schulden op een rij en rust in huis.",
                    opened,
                    end if closed else None,
                    outcome if closed else "",
                    "",
                    "" if closed else next_step,
                    None if closed else due,
                    last_contact,
                    pro,
                )
            )

        fields = [
            "id", "household", "status", "director", "team", "question", "opened_at", "closed_at", "outcome",
            "outcome_note", "next_step", "next_step_due", "last_contact_at", "created_by",
        ]  # fmt: skip
        self._timed("cases", _copy, cur, Case, fields, case_rows)
        fields = ["case", "user", "role", "added_at", "removed_at"]
        self._timed("case members", _copy, cur, CaseMember, fields, member_rows)
        fields = ["id", "case", "at", "channel", "others", "summary", "by", "created_at", "domains"]
        self._timed("contacts", _copy, cur, Contact, fields, contact_rows)
        self._timed("contact persons", _copy, cur, Contact.persons.through, ["contact", "person"], cp_rows)
        fields = ["id", "case", "at", "kind", "actor", "data", "text", "contact"]
        self._timed("timeline entries", _copy, cur, TimelineEntry, fields, entry_rows)

    def finish(self) -> None:
        """Move the id sequences past the copied ids, then VACUUM ANALYZE so plans see the real sizes."""
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import connection

        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("RESET session_replication_role")
        models = [m for label in ("accounts", "housing", "cases") for m in apps.get_app_config(label).get_models()]
        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cur.execute(sql)
        connection.close()
        # VACUUM can't run in a transaction: a connection of its own, in autocommit.
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        self.stats["vacuum analyze"] = {"rows": 0, "seconds": round(time.perf_counter() - t0, 2)}
        self.log(f"  {'sequences, vacuum':<22} {'':>9}       {self.stats['vacuum analyze']['seconds']:6.1f} s")


def fill(ds: DataSet, url: str, *, log=print) -> dict[str, dict]:
    return Filler(ds, url, log=log).run()
