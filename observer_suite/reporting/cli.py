"""`observer-suite report election-day` and `report incidents`: the PDFs from the command line."""

from pathlib import Path

import click

from observer_suite.errors import ServiceError, described
from observer_suite.missions.cli import command_mission
from observer_suite.util.cli import AppGroup
from observer_suite.util.pdf_wording import LANGS

_out = click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
_mission = click.option("--mission", "mission_slug", metavar="SLUG")
_lang = click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True)


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"out: cannot write {out}: {exc.strerror}") from None


def _run(label: str, stages, build) -> bytes:
    """Run `build(progress)` under a progress bar on stderr (one step per stage)."""
    with click.progressbar(
        length=len(stages), label=label, file=click.get_text_stream("stderr"), show_eta=False
    ) as bar:

        def progress(stage: str) -> None:
            bar.label = f"{label}: {stage}"
            bar.update(1)

        return build(progress)


@click.group("report", cls=AppGroup)
def report() -> None:
    """PDF reports."""


@report.command("election-day")
@_out
@_mission
@click.option("--region", metavar="CODE", help="A regional briefing for this region code.")
@_lang
@click.option(
    "--until",
    metavar="TIME",
    help="Data cut-off, mission local time (default: everything received so far).",
)
@click.option("--indicator", metavar="KEY", help="Indicator that shades the map.")
def election_day(out, mission_slug, region, lang, until, indicator) -> None:
    """Write the election-day report (or a regional briefing) as PDF."""
    from observer_suite.reporting.pdf.election_day import (
        STAGES,
        election_day_report,
        parse_until,
    )

    mission = command_mission(mission_slug)
    try:
        cutoff = parse_until(until, mission.timezone)
        data = _run(
            "election-day report",
            STAGES,
            lambda progress: election_day_report(
                mission,
                until=cutoff,
                region=region,
                lang=lang,
                indicator_key=indicator,
                progress=progress,
            ),
        )
    except (ValueError, LookupError) as exc:
        text = described(exc) if isinstance(exc, ServiceError) else str(exc)
        raise click.ClickException(text) from None
    _write(out, data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).")


def _region_id(mission, value: str) -> str:
    """The incident list filters by region id; operators know region codes."""
    from sqlalchemy import select

    from observer_suite.extensions import db
    from observer_suite.models import Area

    value = value.strip()
    if not value or value.isdigit():
        return value
    found = db.session.scalar(
        select(Area.id).where(Area.mission_id == mission.id, Area.level == 0, Area.code == value)
    )
    if found is None:
        raise click.ClickException(f"region: no region with code {value[:40]!r} in {mission.slug}")
    return str(found)


@report.command("incidents")
@_out
@_mission
@_lang
@click.option("--status", default="")
@click.option("--category", default="", metavar="CODE")
@click.option("--severity", default="")
@click.option("--region", default="", metavar="CODE", help="Region code (or area id).")
@click.option("--team", default="", metavar="ID")
@click.option("--from", "time_from", default="", metavar="TIME", help="Occurred from (local).")
@click.option("--to", "time_to", default="", metavar="TIME", help="Occurred before (local).")
@click.option("--q", default="", metavar="TEXT", help="Text in title, description, station.")
def incidents(
    out, mission_slug, lang, status, category, severity, region, team, time_from, time_to, q
) -> None:
    """Write the incident report (the incident list's filters) as PDF."""
    from observer_suite.incidents.listing import IncidentFilters
    from observer_suite.reporting.pdf.incident_report import incident_report

    mission = command_mission(mission_slug)
    region = _region_id(mission, region)
    args = {
        "status": status,
        "category": category,
        "severity": severity,
        "region": region,
        "team": team,
        "from": time_from,
        "to": time_to,
        "q": q,
    }
    filters = IncidentFilters.from_args(args)
    if filters.messages:
        raise click.ClickException(" ".join(filters.messages))
    data = _run(
        "incident report",
        ("statistics", "pdf"),
        lambda progress: incident_report(mission, filters, lang=lang, progress=progress),
    )
    _write(out, data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).")
