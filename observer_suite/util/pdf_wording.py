"""Fixed report texts per language, read from `reports/<name>.json`, and number formats.

Texts are data so a mission can correct a translation without touching code; a key missing in
one language falls back to English, so a half-translated file still builds a report.
"""

import functools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from observer_suite.errors import ServiceError

REPORTS_DIR = Path(__file__).resolve().parents[2] / "reports"
LANGS = ("en", "fr")
NBSP = "\u00a0"


class UnknownLanguage(ServiceError):
    """No report texts in the language asked for."""


@functools.cache
def _load(name: str) -> dict:
    with (REPORTS_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


class Texts:
    """`t("key", **values)` for one language; nested keys as "sections.coverage"."""

    def __init__(self, lang: str = "en", name: str = "election_day"):
        if lang not in LANGS:
            raise UnknownLanguage(f"{lang!r} is not one of {', '.join(LANGS)}", field="lang")
        self.lang = lang
        data = _load(name)
        self._own, self._en = data.get(lang, {}), data["en"]

    def raw(self, key: str) -> Any:  # a text, or a list or mapping of texts
        for source in (self._own, self._en):
            value = source
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:
                return value
        return key

    def __call__(self, key: str, **values) -> str:
        text = self.raw(key)
        return text.format(**values) if values and isinstance(text, str) else str(text)

    def label(self, group: str, code: str) -> str:
        """A code's label from a group (phases, severities, statuses …), else the code."""
        value = self.raw(f"{group}.{code}")
        return code if value == f"{group}.{code}" else str(value)

    # ---- numbers ----

    def num(self, value: int | None) -> str:
        if value is None:
            return "n/a"
        text = f"{value:,}"
        return text.replace(",", NBSP) if self.lang == "fr" else text

    def pct(self, share: float | None, digits: int = 1) -> str:
        """A proportion (0..1) as a percentage; None is "no data"."""
        if share is None:
            return self("no_data")
        text = f"{100 * share:.{digits}f}"
        return f"{text.replace('.', ',')}{NBSP}%" if self.lang == "fr" else f"{text}%"

    def margin(self, margin: float | None) -> str:
        """Half-width of a confidence interval in percentage points, e.g. "±4.1"."""
        if margin is None:
            return ""
        text = f"{100 * margin:.1f}"
        return "\u00b1" + (text.replace(".", ",") if self.lang == "fr" else text)

    def n_of(self, n: int, total: int) -> str:
        return self("n_of_total", n=self.num(n), total=self.num(total))

    def moment(self, value: datetime | None) -> str:
        return "" if value is None else value.strftime("%Y-%m-%d %H:%M")
