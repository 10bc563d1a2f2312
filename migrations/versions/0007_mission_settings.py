"""mission settings (archive) and logins

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 03:05:00.000000

Reserved in advance so that work in parallel keeps one linear chain; empty until filled.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
