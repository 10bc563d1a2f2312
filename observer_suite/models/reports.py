"""Report definitions a mission has edited: its own indicator list instead of reports/'s."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, utcnow


class ReportDefinition(Model):
    """A mission's indicator definitions (the reports/indicators.json format), when edited.

    No row: the mission uses the default file. `version` increases with every save, so a
    stale edit is refused (no lost update); the audit log keeps the old lists.
    """

    __tablename__ = "report_definitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), unique=True
    )
    indicators: Mapped[list] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, onupdate=utcnow)

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}
