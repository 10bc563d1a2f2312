"""Checklist forms (versioned definitions) and the observations filled with them."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, enum_column, utcnow

if TYPE_CHECKING:  # for the relationships' annotations only: the modules import each other
    from observer_suite.models.missions import PollingStation
    from observer_suite.models.teams import Team


class ReviewStatus(enum.StrEnum):
    RECEIVED = "received"
    VERIFIED = "verified"
    FLAGGED = "flagged"
    REJECTED = "rejected"


class Form(Model):
    """One version of a checklist in one mission; `definition` is the canonical JSON
    described in observer_suite/checklists/__init__.py. Old versions stay, so every
    observation keeps the version it was made with."""

    __tablename__ = "forms"
    __table_args__ = (UniqueConstraint("mission_id", "form_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    form_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))  # opening, voting, closing, counting, …
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(200), default="")  # file it came from
    active: Mapped[bool] = mapped_column(default=True)  # the version tablets get
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)


class Observation(Model):
    """One filled form at one station by one team; `uuid` is made on the device.

    The row always holds the latest version of the answers, so every statistic counts the
    latest only; a correction copies the version it replaces to ObservationVersion (as ODK's
    deprecatedID keeps the replaced instance). `content_hash` stays the hash of the original
    upload, so the tablet replaying it after a correction is still recognised as a replay."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    form_pk: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="RESTRICT"), index=True)
    station_id: Mapped[int] = mapped_column(
        ForeignKey("polling_stations.id", ondelete="RESTRICT"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    arrived_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    departed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    answers: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))  # tells a replay from a conflict
    received_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, index=True)
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus), default=ReviewStatus.RECEIVED, index=True
    )
    flags: Mapped[list] = mapped_column(JSON, default=list)  # failed consistency checks
    critical: Mapped[list] = mapped_column(JSON, default=list)  # names of critical answers
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    corrected_by: Mapped[str | None] = mapped_column(String(80))  # who made this version
    corrected_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    correction_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    form: Mapped[Form] = relationship()
    station: Mapped["PollingStation"] = relationship()
    team: Mapped["Team | None"] = relationship()
    reviews: Mapped[list["ObservationReview"]] = relationship(
        back_populates="observation",
        cascade="all, delete-orphan",
        order_by="ObservationReview.at",
    )


class ObservationReview(Model):
    """The history of review status changes, with who, when and why."""

    __tablename__ = "observation_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    username: Mapped[str | None] = mapped_column(String(80))
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")

    observation: Mapped[Observation] = relationship(back_populates="reviews")


class ObservationVersion(Model):
    """A replaced version of an observation, as it was: the answers and times, who made it
    and when (for version 1, the submitter and the upload), and the note it was made with."""

    __tablename__ = "observation_versions"
    __table_args__ = (UniqueConstraint("observation_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict] = mapped_column(JSON)
    arrived_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    departed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    critical: Mapped[list] = mapped_column(JSON, default=list)
    made_by: Mapped[str | None] = mapped_column(String(80))
    made_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    note: Mapped[str] = mapped_column(Text, default="")
    replaced_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
