"""Bearer tokens for scripts using the JSON API."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from observer_suite.extensions import Model
from observer_suite.models.types import TIMESTAMP, utcnow


class ApiToken(Model):
    """A bearer token for scripts; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(TIMESTAMP)
    last_used_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    uses: Mapped[int] = mapped_column(Integer, default=0)
