"""A mission, its hierarchy of areas and its polling stations."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, utcnow


class Mission(Model):
    __tablename__ = "missions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    election_date: Mapped[date] = mapped_column(Date)
    second_round_date: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    area_levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Map background: None uses the MAP_TILE_URL setting, "none" turns tiles off, else a
    # {z}/{x}/{y} URL template of the mission's own tile server.
    map_tiles: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    # Set when the mission is archived: read-only from then on, hidden from lists.
    archived_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Mission {self.slug}>"


class Area(Model):
    """A node of the hierarchy; `level` indexes mission.area_levels (0 = region).

    `path` joins the codes (or names) of the area and its ancestors, so an area is found
    again on re-import even where a code is only unique within its parent (Nigerian wards).
    """

    __tablename__ = "areas"
    __table_args__ = (UniqueConstraint("mission_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(60))
    path: Mapped[str] = mapped_column(String(400))
    boundary: Mapped[dict | None] = mapped_column(JSON)

    parent: Mapped["Area | None"] = relationship(remote_side=[id])


class PollingStation(Model):
    __tablename__ = "polling_stations"
    __table_args__ = (UniqueConstraint("mission_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    polling_centre: Mapped[str | None] = mapped_column(String(300))
    registered_voters: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    area: Mapped[Area] = relationship()
