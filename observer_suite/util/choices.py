"""WTForms' SelectChoice, imported in one place for every form.

WTForms 3.2 added SelectChoice (and 3.3 deprecates plain tuples as choices); the WTForms stub
bundled with pyright predates it, so this module says so to the type checker once, and the
forms import it from here.
"""

from typing import Any

from wtforms.fields import choices as _choices

SelectChoice: Any = _choices.SelectChoice  # pyright: ignore[reportAttributeAccessIssue]

__all__ = ["SelectChoice"]
