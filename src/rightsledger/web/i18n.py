"""The interface's languages: English (the source strings) and Korean.

Strings are marked ``_("...")`` in templates and route code. Translations live in
gettext catalogues, ``web/locale/<lang>/LC_MESSAGES/*.po`` (one file per area of the
app), read with Babel when the app starts; no compile step. A test checks that every
marked string has a Korean translation.

Placeholders use ``%(name)s``: ``_("%(n)s benchmarks", n=12)``. The result is plain
text; templates escape it like any other value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

#: Languages the interface speaks; the first is the default.
LANGUAGES: dict[str, str] = {"en": "English", "ko": "한국어"}

Translate = Callable[..., str]


@cache
def catalogue(locale: str) -> dict[str, str]:
    """Every translated message of ``locale``, msgid -> msgstr (empty for English)."""
    folder = resources.files("rightsledger.web").joinpath(
        "locale", locale, "LC_MESSAGES"
    )
    messages: dict[str, str] = {}
    if not folder.is_dir():
        return messages
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".po"):
            continue
        with entry.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id and message.string and not message.fuzzy:
                    messages[str(message.id)] = str(message.string)
    return messages


@dataclass(frozen=True, slots=True)
class Translator:
    """The ``_`` of one language."""

    locale: str

    def __call__(self, message: str, /, **values: object) -> str:
        text = catalogue(self.locale).get(message, message) if self.locale else message
        return text % values if values else text


def translator(locale: str) -> Translator:
    return Translator(locale if locale in LANGUAGES else "en")


def negotiate(header: str | None) -> str | None:
    """The first supported language of an ``Accept-Language`` header, if any."""
    if not header:
        return None
    ranked: list[tuple[float, str]] = []
    for part in header.split(","):
        lang, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((quality, lang.strip().lower()[:2]))
    for _quality, lang in sorted(ranked, key=lambda r: -r[0]):
        if lang in LANGUAGES:
            return lang
    return None


def pick_locale(*choices: str | None) -> str:
    """The first of ``choices`` that is a supported language, else English."""
    return next((c for c in choices if c in LANGUAGES), "en")


def untranslated(locale: str, messages: Iterable[str]) -> list[str]:
    """The messages that have no translation in ``locale`` (for the tests)."""
    known = catalogue(locale)
    return sorted({m for m in messages if m not in known})
