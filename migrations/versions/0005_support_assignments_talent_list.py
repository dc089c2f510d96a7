"""A prefecture's support assignments (市町村支援) and MIC's 外部人材リスト.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import talentmatch.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('support_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prefecture_code', sa.String(length=2), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=True),
    sa.Column('staff_name', sa.String(length=100), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('ended_at', talentmatch.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', talentmatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', talentmatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_support_assignment_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prefecture_code'], ['prefecture.code'], name=op.f('fk_support_assignment_prefecture_code_prefecture')),
    sa.ForeignKeyConstraint(['professional_id'], ['professional.id'], name=op.f('fk_support_assignment_professional_id_professional'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_assignment'))
    )
    with op.batch_alter_table('support_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_support_assignment_prefecture_status', ['prefecture_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_assignment_professional_id'), ['professional_id'], unique=False)

    op.create_table('talent_list_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('professional_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', talentmatch.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', talentmatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', talentmatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_talent_list_entry_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['professional_id'], ['professional.id'], name=op.f('fk_talent_list_entry_professional_id_professional'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_list_entry')),
    sa.UniqueConstraint('professional_id', 'fiscal_year', name='uq_talent_list_entry_professional_fiscal_year')
    )
    with op.batch_alter_table('talent_list_entry', schema=None) as batch_op:
        batch_op.create_index('ix_talent_list_entry_fiscal_year_status', ['fiscal_year', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_list_entry_professional_id'), ['professional_id'], unique=False)

    op.create_table('supported_municipality',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('municipality_code', sa.String(length=6), nullable=False),
    sa.Column('days_per_month', sa.Numeric(precision=4, scale=1, asdecimal=False), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['support_assignment.id'], name=op.f('fk_supported_municipality_assignment_id_support_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_code'], ['municipality.code'], name=op.f('fk_supported_municipality_municipality_code_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supported_municipality')),
    sa.UniqueConstraint('assignment_id', 'municipality_code', name='uq_supported_municipality_assignment_municipality')
    )
    with op.batch_alter_table('supported_municipality', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supported_municipality_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supported_municipality_municipality_code'), ['municipality_code'], unique=False)



def downgrade():
    with op.batch_alter_table('supported_municipality', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supported_municipality_municipality_code'))
        batch_op.drop_index(batch_op.f('ix_supported_municipality_assignment_id'))

    op.drop_table('supported_municipality')
    with op.batch_alter_table('talent_list_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_list_entry_professional_id'))
        batch_op.drop_index('ix_talent_list_entry_fiscal_year_status')

    op.drop_table('talent_list_entry')
    with op.batch_alter_table('support_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_assignment_professional_id'))
        batch_op.drop_index('ix_support_assignment_prefecture_status')

    op.drop_table('support_assignment')
