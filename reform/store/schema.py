"""The store's tables (SQLAlchemy Core), the same for SQLite and PostgreSQL.

Scores, components, published ranks and changes, and inspection records are rows of a version; files keep
the original bytes once per SHA-256; the audit log records every change.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

files = sa.Table(
    "files", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("uploaded_by", sa.Text, nullable=False),
)
versions = sa.Table(
    "versions", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("index", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("periods", sa.Text, nullable=False),  # JSON list
    sa.Column("file_sha256", sa.String(64), sa.ForeignKey("files.sha256"), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sheets", sa.Text, nullable=False),  # JSON list
    sa.Column("options", sa.Text, nullable=False),  # JSON: sheet, period, level asked for
    sa.Column("units", sa.Integer, nullable=False),
    sa.Column("precedence", sa.Integer, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("uploaded_by", sa.Text, nullable=False),
)
units_table = sa.Table(
    "units", metadata,
    sa.Column("unit_id", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("level", sa.String(40), nullable=False),
    sa.Column("parent_id", sa.String(200), nullable=False, default=""),
    sa.Column("valid_from", sa.String(20), nullable=False, default=""),
    sa.Column("valid_to", sa.String(20), nullable=False, default=""),
)
aliases_table = sa.Table(
    "unit_aliases", metadata,
    sa.Column("unit_id", sa.String(200), sa.ForeignKey("units.unit_id"), primary_key=True),
    sa.Column("alias", sa.String(300), primary_key=True),  # every spelling met, as written
    sa.Column("alias_key", sa.String(300), nullable=False),
)
components_table = sa.Table(
    "components", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.version"), nullable=False, index=True),
    sa.Column("index", sa.String(40), nullable=False),
    sa.Column("period", sa.String(20), nullable=False),
    sa.Column("component", sa.String(40), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("parent", sa.String(40), nullable=False),
    sa.Column("max_value", sa.Float, nullable=True),
    sa.Column("order", sa.Integer, nullable=False),
)
scores_table = sa.Table(
    "scores", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.version"), nullable=False, index=True),
    sa.Column("index", sa.String(40), nullable=False),
    sa.Column("period", sa.String(20), nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("component", sa.String(40), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("max_value", sa.Float, nullable=True),
    sa.Column("source", sa.Text, nullable=False),
)
published_table = sa.Table(
    "published", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.version"), nullable=False, index=True),
    sa.Column("index", sa.String(40), nullable=False),
    sa.Column("period", sa.String(20), nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("rank", sa.Float, nullable=True),
    sa.Column("group_label", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)
published_changes_table = sa.Table(
    "published_changes", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.version"), nullable=False, index=True),
    sa.Column("index", sa.String(40), nullable=False),
    sa.Column("period", sa.String(20), nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("change", sa.Float, nullable=False),
    sa.Column("compared_with", sa.String(20), nullable=False),  # '' when the file names none
    sa.Column("source", sa.Text, nullable=False),
)
"""Changes of the total as the file prints them ("Tăng/giảm 2016 so với 2015"), kept like
published ranks to set beside the computed change. A new table: ``create_all`` adds it to a
store made before it, whose versions simply have no published change."""
inspections_table = sa.Table(
    "inspections", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.version"), nullable=False, index=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("unit_id", sa.String(200), nullable=False),
    sa.Column("team", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("violations", sa.Integer, nullable=False),
    sa.Column("officials_checked", sa.Integer, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)
meta_table = sa.Table(
    "store_meta", metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
audit_table = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=True),
    sa.Column("detail", sa.Text, nullable=False),
)
lineage_table = sa.Table(
    "lineage", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.version"), nullable=False, index=True),
    sa.Column("old_unit_id", sa.String(200), nullable=False),
    sa.Column("new_unit_id", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("weight", sa.Float, nullable=True),
    sa.Column("effective", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)
"""Old unit → new unit links of a crosswalk version (``core.model.LINK_COLUMNS`` keeps names and
codes too; the store keeps ids, the units table the rest)."""
users_table = sa.Table(
    "users", metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, never the password
    sa.Column("failed_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
)
"""Accounts of the built-in sign-in form (``reform.store.accounts``); an OIDC deployment maps
identities to roles in its secrets instead."""
version_frames_table = sa.Table(
    "version_frames", metadata,
    sa.Column("version", sa.Integer, sa.ForeignKey("versions.version"), primary_key=True),
    sa.Column("part", sa.String(20), primary_key=True),  # scores, components, published, …
    sa.Column("content", sa.LargeBinary, nullable=False),  # Parquet of the version's rows
)
"""A columnar copy of each version's rows, written in the same transaction as the rows.

The rows stay the record (one per cell, queryable in SQL); this copy is what the app reloads,
since fetching millions of rows through a driver's cursor costs tens of seconds and a Parquet
blob a fraction of one. A version without a copy (a store older than this table) is read from
its rows."""
