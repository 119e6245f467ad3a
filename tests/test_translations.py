"""The Dutch catalogue keeps up with the code, and pages speak Dutch by default and English on request.

The catalogue tests extract the messages afresh with Django's makemessages into a temporary copy of
the source and compare them with the committed src/regie/locale/nl/LC_MESSAGES/django.po; the
committed django.mo must hold exactly what that .po says, so a machine without gettext shows Dutch.
"""

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

NL = Path(django_settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES"
COMMITTED_PO, COMMITTED_MO = NL / "django.po", NL / "django.mo"
REGENERATE = (
    "run `cd src/regie && REGIE_DEBUG=1 ../../.venv/bin/regie makemessages -l nl --no-obsolete "
    "--add-location file`, translate the new entries, then `../../.venv/bin/regie compilemessages -l nl`"
)


def parse_po(path: Path) -> dict[tuple[str, str, str], dict]:
    """Entries of a .po file keyed by (msgctxt, msgid, msgid_plural): {"msgstr": {index: text}, "fuzzy": bool}.

    Obsolete (#~) entries are left out; the header is the entry with an empty msgid.
    """
    entries, entry, field = {}, None, None

    def close():
        if entry is not None and "msgid" in entry:
            key = (entry.get("msgctxt", ""), entry["msgid"], entry.get("msgid_plural", ""))
            entries[key] = {"msgstr": entry["msgstr"], "fuzzy": entry["fuzzy"]}

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            close()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgstr": {}, "fuzzy": False}
        if line.startswith("#"):
            entry["fuzzy"] |= line.startswith("#,") and "fuzzy" in line
            continue
        if not line.startswith('"'):
            field, line = line.split(" ", 1)
        if field.startswith("msgstr"):
            index = int(field[7:-1]) if "[" in field else 0
            entry["msgstr"][index] = entry["msgstr"].get(index, "") + ast.literal_eval(line)
        else:
            entry[field] = entry.get(field, "") + ast.literal_eval(line)
    return entries


def describe(key) -> str:
    context, msgid, _plural = key
    return f"{context}|{msgid}" if context else msgid


@pytest.fixture(scope="module")
def committed():
    assert COMMITTED_PO.exists(), f"{COMMITTED_PO} is missing; {REGENERATE}"
    return parse_po(COMMITTED_PO)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code has now: makemessages over a temporary copy of src/regie."""
    missing = [p for p in ("xgettext", "msguniq", "msgmerge", "msgattrib") if not shutil.which(p)]
    if missing:
        pytest.skip(f"GNU gettext tools not installed ({', '.join(missing)}); apt-get install gettext")
    source = Path(django_settings.BASE_DIR)
    copy = tmp_path_factory.mktemp("i18n") / "regie"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc"))
    (copy / "locale").mkdir()
    # makemessages walks the current directory and writes into the first LOCALE_PATHS entry:
    # point both at the copy, so the committed catalogue is never touched.
    with pytest.MonkeyPatch.context() as mp, override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        mp.chdir(copy)
        call_command("makemessages", locale=["nl"], no_obsolete=True, add_location="file", verbosity=0)
    return parse_po(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")


def test_every_message_of_the_code_is_in_the_dutch_catalogue(extracted, committed):
    missing = sorted(describe(key) for key in extracted if key[1] and key not in committed)
    assert not missing, f"{len(missing)} message(s) not in django.po: {missing[:20]}; {REGENERATE}"


def test_every_entry_is_translated_and_none_is_fuzzy(committed):
    header = committed.get(("", "", ""))
    assert header and "Language: nl" in header["msgstr"][0]
    entries = {key: e for key, e in committed.items() if key[1]}
    assert entries
    untranslated = sorted(
        describe(key) for key, e in entries.items() if not all(e["msgstr"].get(i) for i in ((0, 1) if key[2] else (0,)))
    )
    fuzzy = sorted(describe(key) for key, e in entries.items() if e["fuzzy"])
    assert not untranslated, f"untranslated in django.po: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy in django.po (check the translation, then drop the flag): {fuzzy[:20]}"


def test_placeholders_of_the_catalogue_are_consistent(committed):
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        pytest.skip("msgfmt not installed; apt-get install gettext")
    result = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "--output-file=/dev/null", str(COMMITTED_PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_compiled_catalogue_matches_the_po(committed):
    assert COMMITTED_MO.exists(), f"{COMMITTED_MO} is missing; {REGENERATE}"
    with COMMITTED_MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    expected = {}
    for (context, msgid, plural), e in committed.items():
        if msgid and (e["fuzzy"] or not any(e["msgstr"].values())):
            continue  # msgfmt leaves fuzzy and untranslated entries out
        key = f"{context}\x04{msgid}" if context else msgid
        if plural:
            expected.update({(key, i): text for i, text in e["msgstr"].items()})
        else:
            expected[key] = e["msgstr"][0]
    # msgfmt leaves the header's POT-Creation-Date out of the .mo (it changes on every makemessages).
    for catalog in (expected, compiled):
        catalog[""] = "".join(
            line for line in catalog.get("", "").splitlines(True) if not line.startswith("POT-Creation-Date:")
        )
    stale = sorted(str(k) for k in expected.keys() ^ compiled.keys())
    changed = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    out_of_date = stale + changed
    assert not out_of_date, f"django.mo does not match django.po ({out_of_date[:10]}); {REGENERATE}"


@pytest.mark.django_db
def test_the_login_page_is_dutch_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("login") == "/inloggen/"
    assert '<html lang="nl">' in page
    assert "Inloggen bij Regie" in page and "Inloggen" in page
    assert "Log in to Regie" not in page


@pytest.mark.django_db
def test_the_login_page_is_english_with_the_language_cookie(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in to Regie" in page
    assert "Inloggen" not in page


@pytest.mark.django_db
def test_the_login_page_follows_the_browser_language(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Log in to Regie" in page and "Inloggen" not in page


def test_the_top_bar_uses_the_sectors_dutch_words(client, world):
    client.force_login(world.pro_n)
    page = client.get(reverse("cases:caseload")).content.decode()
    for word in ["Mijn caseload", "Huishoudens", "Uitloggen", "Naar de inhoud", "Woonconsulent (regisseur)"]:
        assert word in page, word
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cases:caseload")).content.decode()
    for word in ["My caseload", "Households", "Log out", "Skip to content"]:
        assert word in page, word
