"""observation versions, clerk role, incident edits and assignees

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
    # Observations keep their latest version in place; replaced versions go to their own
    # table. The clerk role needs no DDL: roles are stored as VARCHAR(20) values.
    with op.batch_alter_table('observations') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch.add_column(sa.Column('corrected_by', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column('correction_note', sa.Text(), server_default='', nullable=False)
        )
    op.create_table(
        'observation_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('observation_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('departed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('flags', sa.JSON(), nullable=False),
        sa.Column('critical', sa.JSON(), nullable=False),
        sa.Column('made_by', sa.String(length=80), nullable=True),
        sa.Column('made_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('observation_id', 'version'),
    )
    op.create_index(
        op.f('ix_observation_versions_observation_id'),
        'observation_versions',
        ['observation_id'],
        unique=False,
    )
    with op.batch_alter_table('incidents') as batch:
        batch.add_column(sa.Column('assigned_to', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_incidents_assigned_to'), ['assigned_to'], unique=False)
        batch.create_foreign_key(
            'fk_incidents_assigned_to_users', 'users', ['assigned_to'], ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('incident_status_changes') as batch:
        batch.add_column(
            sa.Column('kind', sa.String(length=20), server_default='status', nullable=False)
        )
        batch.add_column(sa.Column('details', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('incident_status_changes') as batch:
        batch.drop_column('details')
        batch.drop_column('kind')
    with op.batch_alter_table('incidents') as batch:
        batch.drop_constraint('fk_incidents_assigned_to_users', type_='foreignkey')
        batch.drop_index(batch.f('ix_incidents_assigned_to'))
        batch.drop_column('assigned_to')
    op.drop_index(
        op.f('ix_observation_versions_observation_id'), table_name='observation_versions'
    )
    op.drop_table('observation_versions')
    with op.batch_alter_table('observations') as batch:
        batch.drop_column('correction_note')
        batch.drop_column('corrected_at')
        batch.drop_column('corrected_by')
        batch.drop_column('version')
