"""The two kinds of problem an import reports: the whole file, or one line of it."""

import re
from dataclasses import dataclass, field

from observer_suite.errors import ServiceError

_VALUE = re.compile(r"'(?:[^'\\]|\\.)*'|" + r'"(?:[^"\\]|\\.)*"')
_CUT = re.compile(r"… \([\d,]+ characters\)")
_LINE = re.compile(r"\bline \d+")
LINES_SHOWN = 10
EXAMPLES = 3
DETAIL_LINES = 100_000  # faulty lines whose messages are kept for the downloads


class ImportFileError(ServiceError):
    """The file as a whole cannot be imported (its message is shown to the user)."""


@dataclass(frozen=True)
class LineError:
    """One problem in one line; `column` is the header as written in the file, or None."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )

    @property
    def reason(self) -> str:
        """The message without its values, so lines with the same fault group together."""
        message = _LINE.sub("line …", _CUT.sub("", _VALUE.sub("…", self.message)))
        return f"{self.column}: {message}" if self.column else message


@dataclass
class Group:
    reason: str
    count: int
    lines: list[int]  # the first LINES_SHOWN lines
    examples: list[str] = field(default_factory=list)  # the first EXAMPLES, in full

    def __str__(self) -> str:
        rows = "1 row" if self.count == 1 else f"{self.count:,} rows"
        shown = ", ".join(str(line) for line in self.lines)
        more = " …" if self.count > len(self.lines) else ""
        which = "line" if self.count == 1 else "lines"
        return f"{rows}: {self.reason} — {which} {shown}{more}"


class Problems(list):
    """LineErrors, keeping the first `limit` and counting the rest: a file wrong on every
    one of a million lines must give a page someone can read, not a 100 MB one. Every
    problem is still counted under its reason (`groups`), every faulty line is kept in
    `lines` (so --skip-invalid can leave it out) and the messages of the first
    DETAIL_LINES of them in `by_line` (for the full problem list and the refused rows)."""

    def __init__(self, limit: int = 1000):
        super().__init__()
        self.limit = limit
        self.more = 0
        self.groups: dict[str, Group] = {}
        self.lines: set[int] = set()
        self.by_line: dict[int, list[tuple[str | None, str]]] = {}

    def append(self, item: LineError) -> None:
        group = self.groups.get(item.reason)
        if group is None:
            group = self.groups[item.reason] = Group(item.reason, 0, [])
        group.count += 1
        if len(group.lines) < LINES_SHOWN and item.line not in group.lines:
            group.lines.append(item.line)
        if len(group.examples) < EXAMPLES:
            group.examples.append(str(item))
        self.lines.add(item.line)
        messages = self.by_line.get(item.line)
        if messages is None and len(self.by_line) < DETAIL_LINES:
            messages = self.by_line[item.line] = []
        if messages is not None:
            messages.append((item.column, item.message))
        if len(self) < self.limit:
            super().append(item)
        else:
            self.more += 1

    def reasons(self, line: int) -> str:
        """E.g. "ward: a value is required; code: duplicate station code 'C1' (…)"."""
        messages = self.by_line.get(line)
        if messages is None:
            return f"refused (reasons are kept for the first {DETAIL_LINES:,} faulty rows)"
        return "; ".join(f"{column}: {text}" if column else text for column, text in messages)

    def grouped(self) -> list[Group]:
        """Largest group first; each group's lines in file order."""
        groups = sorted(self.groups.values(), key=lambda g: (-g.count, min(g.lines or [0])))
        for group in groups:
            group.lines.sort()
        return groups

    def total(self) -> int:
        return len(self) + self.more
