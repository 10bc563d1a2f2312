"""WTForms' SelectChoice, imported in one place for every form.

WTForms 3.2 added SelectChoice (and 3.3 deprecates plain tuples as choices); the WTForms stub
bundled with pyright predates it, so the one import below tells the type checker so once.
"""

from wtforms.fields.choices import SelectChoice  # pyright: ignore[reportAttributeAccessIssue]

__all__ = ["SelectChoice"]
