"""Observers on a mission's roster (teams come with the deployment aggregate)."""

import enum

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from observer_suite.extensions import Model
from observer_suite.models.types import enum_column


class ObserverRole(enum.StrEnum):
    CORE = "core"
    LTO = "lto"
    STO = "sto"
    DRIVER = "driver"
    INTERPRETER = "interpreter"


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class Observer(Model):
    """`ref` is the roster's key: its id column, else the e-mail, else the name."""

    __tablename__ = "observers"
    __table_args__ = (UniqueConstraint("mission_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[ObserverRole] = mapped_column(enum_column(ObserverRole))
    nationality: Mapped[str | None] = mapped_column(String(2))
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    previous_missions: Mapped[int] = mapped_column(Integer, default=0)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
