"""scripts/check-translations on small packages of its own: what it refuses, and that it never
rewrites the catalogues it checks."""

import hashlib
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check-translations"

VIEWS = """\
from django.utils.translation import gettext as _


def greet(count):
    return _("Welcome to the border crossing point"), _("%(count)s people waiting") % {
        "count": count
    }
"""
TEMPLATE = '{% load i18n %}<h1>{% translate "Watchlist" %}</h1>\n'
HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

"""
WELCOME = """\
#: views.py:5
msgid "Welcome to the border crossing point"
msgstr "Bienvenue au point de passage frontalier"

"""
WAITING = """\
#: views.py:5
#, python-format
msgid "%(count)s people waiting"
msgstr "%(count)s personnes en attente"

"""
WATCHLIST = """\
#: templates/page.html:1
msgid "Watchlist"
msgstr "Liste de surveillance"

"""


def package(tmp_path, catalogue, compile_mo=True):
    """A package with one module and one template, and a French catalogue (compiled)."""
    source = tmp_path / "pkg"
    (source / "templates").mkdir(parents=True)
    (source / "views.py").write_text(VIEWS)
    (source / "templates" / "page.html").write_text(TEMPLATE)
    messages = source / "locale" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(HEADER + catalogue)
    if compile_mo:
        subprocess.run(["msgfmt", "-o", messages / "django.mo", messages / "django.po"], check=True)
    return source


def check(source, *languages):
    return subprocess.run(
        [sys.executable, SCRIPT, "--source", source, *languages],
        capture_output=True,
        text=True,
        timeout=120,
    )


def digests(source):
    return {
        path: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((source / "locale").rglob("*"))
        if path.is_file()
    }


def test_a_complete_catalogue_passes_and_is_left_as_it_was(tmp_path):
    source = package(tmp_path, WELCOME + WAITING + WATCHLIST)
    before = digests(source)
    done = check(source, "fr")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "translations complete: fr"
    assert digests(source) == before


def test_a_message_missing_from_the_catalogue_is_named_with_where_it_is_used(tmp_path):
    source = package(tmp_path, WELCOME + WAITING)
    before = digests(source)
    done = check(source, "fr")
    assert done.returncode == 1
    assert done.stderr.splitlines() == ['fr: untranslated "Watchlist" at templates/page.html:1']
    assert digests(source) == before, "the committed catalogue is never rewritten"


def test_a_fuzzy_entry_fails(tmp_path):
    fuzzy = WATCHLIST.replace("#: templates/page.html:1\n", "#: templates/page.html:1\n#, fuzzy\n")
    done = check(package(tmp_path, WELCOME + WAITING + fuzzy), "fr")
    assert done.returncode == 1
    assert done.stderr.splitlines() == ['fr: fuzzy "Watchlist" at templates/page.html:1']


def test_an_empty_translation_fails(tmp_path):
    empty = WELCOME.replace('msgstr "Bienvenue au point de passage frontalier"', 'msgstr ""')
    done = check(package(tmp_path, empty + WAITING + WATCHLIST), "fr")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        'fr: untranslated "Welcome to the border crossing point" at views.py:5'
    ]


def test_a_placeholder_lost_in_translation_fails(tmp_path):
    lost = WAITING.replace('"%(count)s personnes en attente"', '"%(nombre)s personnes en attente"')
    done = check(package(tmp_path, WELCOME + lost + WATCHLIST, compile_mo=False), "fr")
    assert done.returncode == 1
    [problem] = [line for line in done.stderr.splitlines() if "format specification" in line]
    assert problem.startswith("fr: ")
    assert problem.endswith('"%(count)s people waiting" at views.py:5')


def test_a_compiled_catalogue_behind_its_po_fails(tmp_path):
    source = package(tmp_path, WELCOME + WAITING + WATCHLIST)
    po = source / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    po.write_text(po.read_text().replace("Liste de surveillance", "Liste de veille"))
    done = check(source, "fr")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"fr: {po.with_suffix('.mo')} is stale (make messages)"]


def test_a_language_with_no_catalogue_reports_every_message(tmp_path):
    done = check(package(tmp_path, WELCOME + WAITING + WATCHLIST), "ar")
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 3
    assert all(line.startswith("ar: untranslated ") for line in done.stderr.splitlines())


SCREENING = """\
from django.utils.translation import gettext as _


def ask():
    return _("Are you travelling alone?")
"""
ALONE = """\
#: screening/questions.py:5
msgid "Are you travelling alone?"
msgstr "Voyagez-vous seul ?"

"""


def partial_package(tmp_path, catalogue):
    """The package above plus a screening module: only the latter is in the desk scope."""
    source = package(tmp_path, catalogue)
    (source / "screening").mkdir()
    (source / "screening" / "questions.py").write_text(SCREENING)
    return source


def test_a_partial_language_may_leave_messages_outside_its_scope_empty(tmp_path):
    source = partial_package(tmp_path, ALONE)
    before = digests(source)
    done = check(source, "--scope", "desk", "fr")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "translations complete for desk: fr"
    assert digests(source) == before


def test_a_partial_language_must_translate_every_message_of_its_scope(tmp_path):
    done = check(partial_package(tmp_path, WELCOME + WAITING + WATCHLIST), "--scope", "desk", "fr")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        'fr: untranslated "Are you travelling alone?" at screening/questions.py:5'
    ]


def test_a_fuzzy_entry_of_the_scope_fails_one_outside_it_does_not(tmp_path):
    fuzzy_alone = ALONE.replace(
        "#: screening/questions.py:5\n", "#: screening/questions.py:5\n#, fuzzy\n"
    )
    fuzzy_watchlist = WATCHLIST.replace(
        "#: templates/page.html:1\n", "#: templates/page.html:1\n#, fuzzy\n"
    )
    done = check(partial_package(tmp_path, fuzzy_alone + fuzzy_watchlist), "--scope", "desk", "fr")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        'fr: fuzzy "Are you travelling alone?" at screening/questions.py:5'
    ]


def test_a_placeholder_lost_outside_the_scope_still_fails(tmp_path):
    lost = WAITING.replace('"%(count)s personnes en attente"', '"%(nombre)s personnes en attente"')
    source = partial_package(tmp_path, ALONE + lost)
    done = check(source, "--scope", "desk", "fr")
    assert done.returncode == 1
    assert any("format specification" in line for line in done.stderr.splitlines())
