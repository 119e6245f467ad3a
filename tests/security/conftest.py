"""Fixtures of the attack suite: one world per module (built once, rolled back at the end; each test
runs in a savepoint inside it), one logged-in client per role, and the collector that prints the
access matrix at the end of the run and writes it to $REGIE_REPORT_DIR/access-matrix.md."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.security.report import Collector
from tests.security.world import ROLES, build

COLLECTOR = Collector()


@pytest.fixture(scope="module")
def sec_world(django_db_setup, django_db_blocker):
    """The world of tests/security/world.py for the whole module. The outer transaction is rolled
    back when the module is done, so nothing leaks into other tests; every test's own changes
    (an empty POST that did something after all) are rolled back by its savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def login(client: Client, user) -> Client:
    """Log in as a user who passed the second factor (the session key the 2FA middleware reads)."""
    client.force_login(user)
    session = client.session
    session["regie_2fa"] = "totp"
    session.save()
    return client


@pytest.fixture(scope="module")
def role_clients(sec_world, django_db_blocker):
    """One logged-in client per role (all users of team A), reused by every test of the module.
    `fresh()` gives the client back with only its session cookie, so a request that logged out,
    cycled the session key or switched the language can't change what the next test sees."""
    with django_db_blocker.unblock():
        clients = {role: login(Client(), sec_world.users[role]) for role in ROLES}
    keys = {role: c.cookies[settings.SESSION_COOKIE_NAME].value for role, c in clients.items()}

    def fresh(role: str) -> Client:
        client = clients[role]
        client.cookies.clear()
        client.cookies[settings.SESSION_COOKIE_NAME] = keys[role]
        return client

    return fresh


@pytest.fixture(scope="session")
def access_collector():
    return COLLECTOR


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not COLLECTOR.rows:
        return
    table = COLLECTOR.markdown()
    terminalreporter.section("access matrix (url × role × own/other team)")
    terminalreporter.write_line(table)
    folder = Path(os.environ.get("REGIE_REPORT_DIR") or "var/reports")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "access-matrix.md").write_text(table, encoding="utf-8")
    terminalreporter.write_line(f"(written to {folder / 'access-matrix.md'})")
