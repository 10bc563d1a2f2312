"""Incidents reported from the field, their categories, photos and triage history."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, enum_column, utcnow

if TYPE_CHECKING:  # for the relationships' annotations only: the modules import each other
    from observer_suite.models.missions import PollingStation
    from observer_suite.models.teams import Team
    from observer_suite.models.users import User


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentStatus(enum.StrEnum):
    REPORTED = "reported"
    VERIFIED = "verified"
    REJECTED = "rejected"
    FOLLOW_UP = "follow_up"
    RESOLVED = "resolved"


class IncidentCategory(Model):
    """One entry of a mission's taxonomy; retired entries stay so old incidents keep theirs."""

    __tablename__ = "incident_categories"
    __table_args__ = (UniqueConstraint("mission_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60))
    labels: Mapped[dict] = mapped_column(JSON, default=dict)  # {"en": …, "fr": …}
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.code


class Incident(Model):
    """One incident; `uuid` is made on the device so a retried upload is stored once."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("incident_categories.id", ondelete="RESTRICT"), index=True
    )
    severity: Mapped[Severity] = mapped_column(enum_column(Severity), index=True)
    status: Mapped[IncidentStatus] = mapped_column(
        enum_column(IncidentStatus), default=IncidentStatus.REPORTED, index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(TIMESTAMP, index=True)
    station_id: Mapped[int | None] = mapped_column(
        ForeignKey("polling_stations.id", ondelete="SET NULL"), index=True
    )
    latitude: Mapped[float | None] = mapped_column(Float)  # GPS from the tablet
    longitude: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_to: Mapped[int | None] = mapped_column(  # the login following it up
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    observation_id: Mapped[int | None] = mapped_column(  # raised from a critical answer
        ForeignKey("observations.id", ondelete="SET NULL"), index=True
    )
    question: Mapped[str | None] = mapped_column(String(80))  # that answer's question name
    content_hash: Mapped[str] = mapped_column(String(64))  # tells a replay from a conflict
    received_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)

    category: Mapped[IncidentCategory] = relationship()
    station: Mapped["PollingStation | None"] = relationship()
    team: Mapped["Team | None"] = relationship()
    reporter: Mapped["User | None"] = relationship(foreign_keys=[reported_by])
    assignee: Mapped["User | None"] = relationship(foreign_keys=[assigned_to])
    photos: Mapped[list["IncidentPhoto"]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentPhoto.id"
    )
    history: Mapped[list["IncidentStatusChange"]] = relationship(
        back_populates="incident",
        cascade="all, delete-orphan",
        order_by="IncidentStatusChange.id",
    )


class IncidentPhoto(Model):
    """A photo kept in the database with its incident, so one transaction stores both."""

    __tablename__ = "incident_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="photos")


class IncidentStatusChange(Model):
    """The incident's history: who moved it from which status to which, when and why; also
    (kind "edit") a change of category, severity or assignee, with {field: [old, new]} in
    `details`, and (kind "comment") a note that leaves the status as it is."""

    __tablename__ = "incident_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(80))
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="status", server_default="status")
    details: Mapped[dict | None] = mapped_column(JSON)

    incident: Mapped[Incident] = relationship(back_populates="history")
