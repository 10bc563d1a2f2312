"""The two kinds of problem an import reports: the whole file, or one line of it."""

from dataclasses import dataclass


class ImportFileError(ValueError):
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


class Problems(list):
    """LineErrors, keeping the first `limit` and counting the rest: a file wrong on every
    one of a million lines must give a page someone can read, not a 100 MB one."""

    def __init__(self, limit: int = 1000):
        super().__init__()
        self.limit = limit
        self.more = 0

    def append(self, item: LineError) -> None:
        if len(self) < self.limit:
            super().append(item)
        else:
            self.more += 1

    def total(self) -> int:
        return len(self) + self.more
