"""mission settings (archive) and logins

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 03:05:00.000000

A mission can be archived (read-only, hidden from lists): missions.archived_at;
a password reset makes the user choose a new password: users.must_change_password.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("missions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("missions", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
