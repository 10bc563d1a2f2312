"""observation versions, clerk role

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 03:05:00.000000

Reserved in advance so that work in parallel keeps one linear chain; empty until filled.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
