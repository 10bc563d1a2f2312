"""plan revisions and publish overrides

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 03:05:00.000000

A revision is a draft copy of a published plan (revision_of_id, revision); a plan records the
published plan it replaced (replaced_id) so tablets can show how a route changed, and the reason
given when it was published despite broken rules (publish_override).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deployment_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('replaced_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('publish_override', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deployment_plans_revision_of_id'), ['revision_of_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_deployment_plans_revision_of_id_deployment_plans'), 'deployment_plans', ['revision_of_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_deployment_plans_replaced_id_deployment_plans'), 'deployment_plans', ['replaced_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('deployment_plans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deployment_plans_replaced_id_deployment_plans'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_deployment_plans_revision_of_id_deployment_plans'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_deployment_plans_revision_of_id'))
        batch_op.drop_column('publish_override')
        batch_op.drop_column('replaced_id')
        batch_op.drop_column('revision')
        batch_op.drop_column('revision_of_id')
