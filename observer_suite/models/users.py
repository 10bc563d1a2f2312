"""Users, their mission memberships, and the audit log of who changed what."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, enum_column, utcnow

if TYPE_CHECKING:  # for the relationships' annotations only: the modules import each other
    from observer_suite.models.missions import Mission
    from observer_suite.models.observers import Observer


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    LEAD = "lead"
    LTO = "lto"
    OBSERVER = "observer"
    CLERK = "clerk"  # enters phoned-in observations and incidents for any team


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    active: Mapped[bool] = mapped_column(default=True)
    observer_id: Mapped[int | None] = mapped_column(
        ForeignKey("observers.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    # Part of the id a session or remember cookie carries (get_id); raised at logout, on
    # deactivation and on a password change, so every cookie issued before stops working.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set by a password reset: the temporary password works once, to choose a new one.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    observer: Mapped["Observer | None"] = relationship()

    def set_password(self, password: str) -> None:
        # scrypt, werkzeug's default: memory-hard and salted.
        if self.password_hash is not None:
            self.end_sessions()
        self.password_hash = generate_password_hash(password)

    def end_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1

    @validates("active")
    def _deactivation_ends_sessions(self, _key: str, active: bool) -> bool:
        if self.active and not active:
            self.end_sessions()
        return active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: "id:generation"."""
        return f"{self.id}:{self.session_generation or 0}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users.
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class Membership(Model):
    """A user belongs to a mission; only admins see missions they do not belong to."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "mission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("missions.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    mission: Mapped["Mission"] = relationship()


class AuditEntry(Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(80))
    mission_id: Mapped[int | None] = mapped_column(
        ForeignKey("missions.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
