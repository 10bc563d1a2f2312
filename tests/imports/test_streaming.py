"""Files are read lazily and imported in batches: memory stays flat as files grow (a
1,000,000-row CSV peaked at 1.6 GB; benchmarks/import_memory.py measures the real thing)."""

import csv
import inspect
import io
import tracemalloc

import pytest
from sqlalchemy import func, select

from observer_suite.imports import run_import
from observer_suite.imports.common import KEEP
from observer_suite.imports.tabular import ImportFileError
from observer_suite.models import Area, PollingStation

ROWS = KEEP + 10_000  # past what the first pass keeps, so the file is read again


def stations_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["state", "lga", "ward", "code", "name", "registered_voters", "lat", "lon"])
    for n in range(rows):
        writer.writerow(
            [
                f"S{n % 5}",
                f"L{n % 50}",
                f"W{n % 500}",
                f"{n:06d}",
                f"Polling unit {n} school",
                200 + n % 700,
                f"{4 + n % 9000 / 1000:.6f}",
                f"{3 + n % 9000 / 1000:.6f}",
            ]
        )
    return out.getvalue().encode()


def test_rows_are_a_lazy_stream_that_can_be_read_again():
    from observer_suite.imports.tabular import open_table

    big = "x" * (csv.field_size_limit() + 1)
    data = f"code,name\n1,A\n2,B\n3,{big}\n".encode()
    table = open_table(data, "s.csv")
    assert not isinstance(table.rows, list)
    rows = iter(table.rows)
    assert inspect.isgenerator(rows)
    assert next(rows) == (2, ["1", "A"])  # read before the bad line 4 is reached
    assert next(rows) == (3, ["2", "B"])
    with pytest.raises(ImportFileError, match="line 4: the CSV cannot be read"):
        next(rows)
    again = iter(table.rows)
    assert next(again) == (2, ["1", "A"])  # a second pass starts from the first row


def test_memory_does_not_grow_with_the_file(mission_factory, db):
    mission = mission_factory(slug="stream", levels="state,lga,ward")
    data = stations_csv(ROWS)
    calls = []
    tracemalloc.start()
    try:
        result = run_import(
            "stations", mission, data, "s.csv", dry_run=False, progress=lambda *a: calls.append(a)
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    db.session.commit()
    assert result.ok and result.counts["create"] == ROWS
    # Holding every row as Python objects took 60 MB for 40,000 rows (1.5 kB a row).
    assert peak < 25 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MB"
    assert db.session.scalar(select(func.count()).select_from(PollingStation)) == ROWS
    assert db.session.scalar(select(func.count()).select_from(Area)) == 555
    assert calls[-1] == (2 * ROWS, 2 * ROWS)
    assert all(done <= total for done, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
