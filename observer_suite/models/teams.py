"""Observer teams: two observers (plus driver/interpreter), a base, and for LTOs an AoR."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, enum_column, utcnow

if TYPE_CHECKING:  # for the relationships' annotations only: the modules import each other
    from observer_suite.models.missions import Area
    from observer_suite.models.observers import Observer


class TeamKind(enum.StrEnum):
    STO = "sto"
    LTO = "lto"


class MemberRole(enum.StrEnum):
    OBSERVER = "observer"
    DRIVER = "driver"
    INTERPRETER = "interpreter"


class Team(Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("mission_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))
    kind: Mapped[TeamKind] = mapped_column(enum_column(TeamKind))
    base_name: Mapped[str | None] = mapped_column(String(200))
    base_latitude: Mapped[float | None] = mapped_column(Float)
    base_longitude: Mapped[float | None] = mapped_column(Float)
    # STO teams report to an LTO team; LTO teams have areas of responsibility (TeamArea).
    lto_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    pairing_notes: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)

    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="TeamMember.position"
    )
    areas: Mapped[list["TeamArea"]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )
    lto_team: Mapped["Team | None"] = relationship(remote_side=[id])


class TeamMember(Model):
    """An observer belongs to at most one team of a mission (observer_id is unique)."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    observer_id: Mapped[int] = mapped_column(
        ForeignKey("observers.id", ondelete="CASCADE"), unique=True
    )
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole))
    position: Mapped[int] = mapped_column(Integer, default=0)

    team: Mapped[Team] = relationship(back_populates="members")
    observer: Mapped["Observer"] = relationship()


class TeamArea(Model):
    """An area of responsibility of a team (LTO teams; STO teams may have one too)."""

    __tablename__ = "team_areas"
    __table_args__ = (UniqueConstraint("team_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)

    team: Mapped[Team] = relationship(back_populates="areas")
    area: Mapped["Area"] = relationship()
