"""`observer-suite plan …` and `observer-suite report deployment …`."""

from datetime import time
from pathlib import Path

import click

from observer_suite.deployment.types import PlanOptions, SampleOptions
from observer_suite.errors import described
from observer_suite.missions.cli import command_mission
from observer_suite.util.cli import app_command


def _time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a time like 07:00") from None


_defaults = PlanOptions()
_sample = SampleOptions()


@app_command("plan")
@click.option("--mission", "mission_slug", metavar="SLUG")
@click.option("--mode", type=click.Choice(["purposive", "sample"]), default="purposive")
@click.option("--name", default="")
@click.option("--stations-per-team", type=click.IntRange(1, 40), default=10, show_default=True)
@click.option("--visit-minutes", type=click.IntRange(5, 240), default=30, show_default=True)
@click.option("--radius-km", type=click.FloatRange(1, 1000), default=_defaults.max_radius_km)
@click.option("--road-factor", type=click.FloatRange(1, 3), default=_defaults.road_factor)
@click.option("--speed-kmh", type=click.FloatRange(5, 120), default=_defaults.speed_kmh)
@click.option("--opening", default="07:00", show_default=True)
@click.option("--closing", default="18:00", show_default=True)
@click.option("--weighting", type=click.Choice(["voters", "stations", "none"]), default="voters")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--time-limit", type=click.FloatRange(1, 600), default=_defaults.time_limit_s)
@click.option("--confidence", type=click.FloatRange(0.5, 0.999), default=_sample.confidence)
@click.option("--margin", type=click.FloatRange(0.001, 0.5), default=_sample.margin_of_error)
@click.option("--nonresponse", type=click.FloatRange(0, 0.9), default=_sample.nonresponse)
@click.option("--sample-size", type=click.IntRange(1), default=None)
@click.option("--publish", is_flag=True, help="Publish the plan to the tablets at once.")
def plan_command(mission_slug, mode, name, stations_per_team, visit_minutes, radius_km,
                 road_factor, speed_kmh, opening, closing, weighting, seed, time_limit,
                 confidence, margin, nonresponse, sample_size, publish):  # fmt: skip
    """Plan election day: which team visits which stations, in what order."""
    from observer_suite.deployment import services
    from observer_suite.extensions import db

    mission = command_mission(mission_slug)
    options = PlanOptions(
        stations_per_team=stations_per_team,
        visit_minutes=visit_minutes,
        max_radius_km=radius_km,
        road_factor=road_factor,
        speed_kmh=speed_kmh,
        opening_time=_time(opening),
        closing_time=_time(closing),
        region_weighting=weighting,
        seed=seed,
        time_limit_s=time_limit,
    )
    sample = (
        SampleOptions(
            confidence=confidence,
            margin_of_error=margin,
            nonresponse=nonresponse,
            sample_size=sample_size,
        )
        if mode == "sample"
        else None
    )
    try:
        plan = services.create_plan(mission, mode, options, sample, name=name, created_by="cli")
        _refuse_empty(plan)
        if publish:
            services.publish(plan, plan.version)
    except services.PlanError as exc:
        db.session.rollback()
        raise click.ClickException(described(exc)) from None
    db.session.commit()
    teams = len({stop.team_id for stop in plan.stops})
    click.echo(
        f"Plan {plan.id} ({plan.status.value}): {len(plan.stops)} stations for {teams} teams."
    )
    for problem in plan.problems:
        click.echo(f"  ! {problem}")


def _refuse_empty(plan) -> None:
    """A plan in which no team got a station is a dead end: say why, keep nothing, exit 1."""
    from sqlalchemy import func, select

    from observer_suite.deployment.services import PlanError
    from observer_suite.extensions import db
    from observer_suite.models import Team, TeamKind

    if plan.stops:
        return
    for problem in plan.problems:
        click.echo(f"  ! {problem}", err=True)
    teams, without_base = db.session.execute(
        select(
            func.count(Team.id),
            func.count(Team.id).filter(
                (Team.base_latitude.is_(None)) | (Team.base_longitude.is_(None))
            ),
        ).where(Team.mission_id == plan.mission_id, Team.kind == TeamKind.STO)
    ).one()
    hint = ""
    if without_base:
        hint = (
            f" {without_base} of {teams} teams have no base: give them one with "
            "`observer-suite teams bases FILE` or `observer-suite teams deploy`."
        )
    raise PlanError(f"no team could be planned; nothing was saved.{hint}", field="plan")


@app_command("deployment")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mission", "mission_slug", metavar="SLUG")
@click.option("--plan", "plan_id", type=int, help="Default: the published plan, else the newest.")
def report_deployment(out: Path, mission_slug: str | None, plan_id: int | None) -> None:
    """Write the deployment plan PDF."""
    from sqlalchemy import select

    from observer_suite.deployment.pdf import render_plan_pdf
    from observer_suite.deployment.plan_sheets import plan_document
    from observer_suite.deployment.services import published_plan
    from observer_suite.extensions import db
    from observer_suite.models import DeploymentPlan

    mission = command_mission(mission_slug)
    query = select(DeploymentPlan).where(DeploymentPlan.mission_id == mission.id)
    if plan_id is not None:
        plan = db.session.scalar(query.where(DeploymentPlan.id == plan_id))
    else:
        plan = published_plan(mission) or db.session.scalar(
            query.order_by(DeploymentPlan.created_at.desc()).limit(1)
        )
    if plan is None:
        raise click.ClickException("plan: no deployment plan found; run `observer-suite plan`")
    out.write_bytes(render_plan_pdf(plan_document(plan)))
    click.echo(f"Wrote {out} (plan {plan.id}, {plan.status.value}).")
