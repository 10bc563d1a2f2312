"""`observer-suite report election-day` and `report incidents` as an operator runs them."""

import io
from datetime import UTC, datetime

import pypdf
import pytest
from click.testing import CliRunner

from observer_suite.cli import main
from observer_suite.reporting.pdf.election_day import BadCutoff, parse_until
from tests.reporting.pdf.test_election_day import assert_numbers_match


@pytest.fixture
def cli(app, database_url):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--database-url", database_url, *args])

    return run


def words(path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u00a0", " ").split())


def test_incident_report_with_filters(cli, field, incident_factory, tmp_path):
    incident_factory(field.mission, "violence", severity="critical", title="Shots fired")
    incident_factory(field.mission, "vote_buying", severity="low", title="Cash")
    out = tmp_path / "incidents.pdf"
    result = cli("report", "incidents", "--out", str(out), "--severity", "critical")
    assert result.exit_code == 0, result.output
    text = words(out)
    assert "Shots fired" in text and "Cash" not in text
    assert "severity: critical" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mission", "nope"], "no mission 'nope'"),
        (["--lang", "de"], "'de' is not one of"),
        (["--until", "tomorrow"], "until"),
        (["--indicator", "no_such_indicator"], "indicator: no indicator 'no_such_indicator'"),
        (["--region", "XX"], "region: no region with code 'XX'"),
        (["--until", "2027-02-30T10:00"], "until"),
    ],
)
def test_election_day_bad_input_fails_cleanly(cli, world, tmp_path, args, message):
    out = tmp_path / "report.pdf"
    result = cli("report", "election-day", "--out", str(out), *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_incident_report_bad_filter_fails_cleanly(cli, field, tmp_path):
    result = cli("report", "incidents", "--out", str(tmp_path / "x.pdf"), "--severity", "huge")
    assert result.exit_code != 0
    assert "Unknown severity 'huge'" in result.output


def test_election_day_report_and_briefing(cli, world, tmp_path):
    from observer_suite.reporting.statistics.compute import election_day_stats
    from observer_suite.reporting.statistics.serialise import stats_to_json
    from tests.reporting.stats_world import CUTOFF

    out = tmp_path / "report.pdf"
    result = cli("report", "election-day", "--out", str(out), "--until", "2027-02-25T20:00")
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    assert_numbers_match(words(out), stats_to_json(election_day_stats(world, until=CUTOFF)))
    out = tmp_path / "briefing.pdf"
    args = ["--mission", "sw", "--region", "N", "--lang", "fr", "--indicator", "voting_secrecy"]
    result = cli("report", "election-day", "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    text = words(out)
    assert "Note régionale : North" in text
    assert "Zones colorées selon : Secret du vote garanti" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("2027-02-25T20:00", datetime(2027, 2, 25, 19, 0, tzinfo=UTC)),  # Lagos is UTC+1
        ("2027-02-25T20:00+00:00", datetime(2027, 2, 25, 20, 0, tzinfo=UTC)),
        ("2027-02-25T20:00 02:00", datetime(2027, 2, 25, 18, 0, tzinfo=UTC)),  # "+" lost in a URL
    ],
)
def test_cutoff_parsing(value, expected):
    assert parse_until(value, "Africa/Lagos") == expected


@pytest.mark.parametrize("value", ["noon", "2027-02-30T10:00", "0001-01-01T00:00"])
def test_bad_cutoffs_name_the_field(value):
    with pytest.raises(BadCutoff) as refused:
        parse_until(value, "Africa/Lagos")
    assert refused.value.field == "until"


def test_incident_report_by_region_code(cli, field, incident_factory, tmp_path):
    s = field.stations
    incident_factory(field.mission, "violence", title="North fight", station_id=s["S001"].id)
    incident_factory(field.mission, "violence", title="South fight", station_id=s["S004"].id)
    out = tmp_path / "r1.pdf"
    result = cli("report", "incidents", "--out", str(out), "--region", "R1", "--lang", "fr")
    assert result.exit_code == 0, result.output
    text = words(out)
    assert "North fight" in text and "South fight" not in text and "région: Region 1" in text
    result = cli("report", "incidents", "--out", str(out), "--region", "R9")
    assert result.exit_code != 0 and "region: no region with code 'R9'" in result.output
