"""Deployment plans for an election day: which team visits which stations, in what order."""

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, enum_column, utcnow

if TYPE_CHECKING:  # for the relationships' annotations only: the modules import each other
    from observer_suite.models.missions import PollingStation
    from observer_suite.models.teams import Team


class PlanMode(enum.StrEnum):
    PURPOSIVE = "purposive"
    SAMPLE = "sample"


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class StopKind(enum.StrEnum):
    OPENING = "opening"
    VISIT = "visit"
    CLOSING = "closing"


class DeploymentPlan(Model):
    """`version` increases with every edit, so a stale edit is refused (no lost update)."""

    __tablename__ = "deployment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    election_day: Mapped[date] = mapped_column(Date)
    mode: Mapped[PlanMode] = mapped_column(enum_column(PlanMode))
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.DRAFT)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    seed: Mapped[int] = mapped_column(Integer, default=1)
    # Sample mode: the frame, strata, sizes and seed, so the draw can be reproduced.
    sampling: Mapped[dict | None] = mapped_column(JSON)
    problems: Mapped[list] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)
    # A revision is a draft copy of a published plan; publishing it supersedes that plan.
    revision_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("deployment_plans.id", ondelete="SET NULL"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The published plan this one replaced, so tablets can be told how their route changed.
    replaced_id: Mapped[int | None] = mapped_column(
        ForeignKey("deployment_plans.id", ondelete="SET NULL")
    )
    # Why it was published although rules were broken (also in the audit log).
    publish_override: Mapped[str | None] = mapped_column(Text)

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    stops: Mapped[list["PlanStop"]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="(PlanStop.team_id, PlanStop.position)",
    )
    locked_teams: Mapped[list["PlanTeamLock"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class PlanStop(Model):
    __tablename__ = "plan_stops"
    __table_args__ = (
        UniqueConstraint("plan_id", "station_id"),  # no station is planned for two teams
        UniqueConstraint("plan_id", "team_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("deployment_plans.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("polling_stations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StopKind] = mapped_column(enum_column(StopKind))
    planned_arrival: Mapped[time | None] = mapped_column(Time)
    travel_km: Mapped[float | None] = mapped_column(Float)

    plan: Mapped[DeploymentPlan] = relationship(back_populates="stops")
    team: Mapped["Team"] = relationship()
    station: Mapped["PollingStation"] = relationship()


class PlanTeamLock(Model):
    """A team whose route is kept as it is when the rest of the plan is re-planned."""

    __tablename__ = "plan_team_locks"
    __table_args__ = (UniqueConstraint("plan_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("deployment_plans.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    locked: Mapped[bool] = mapped_column(Boolean, default=True)

    plan: Mapped[DeploymentPlan] = relationship(back_populates="locked_teams")
