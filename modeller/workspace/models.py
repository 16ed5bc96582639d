"""The workspace's tables (SQLAlchemy 2 typed declarative models); Alembic migrations follow these.

A scenario or a review is a *document*; every save adds an immutable *version* holding the canonical
YAML text. Results are never stored: they are re-run from the text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAME_LENGTH = 200    # modeller.scenario_text.MAX_NAME_LENGTH
USER_LENGTH = 320    # an e-mail address from a login provider
KINDS = ("scenario", "review")

# Named constraints, so migrations on SQLite and PostgreSQL name them the same way
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s", "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("owner", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    owner: Mapped[str] = mapped_column(String(USER_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Member(Base):
    """A user a workspace is shared with (the owner is not listed here)."""

    __tablename__ = "workspace_members"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    user: Mapped[str] = mapped_column(String(USER_LENGTH), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_workspace_members_user", "user"),)


class Document(Base):
    """A named scenario or review in a workspace; `deleted_at` marks it as in the bin (undoable)."""

    __tablename__ = "documents"
    # one live-or-binned name per kind per workspace: two first saves of one name cannot both win
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    tags: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    deleted_by: Mapped[str | None] = mapped_column(String(USER_LENGTH), nullable=True)


class VersionRow(Base):
    """One immutable save: never updated, never deleted while its document exists."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)  # the guard against lost updates

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    author: Mapped[str] = mapped_column(String(USER_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")


class ReviewBid(Base):
    """A bid in a review: a saved scenario version, under the label the review gives it."""

    __tablename__ = "review_bids"

    review_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    label: Mapped[str] = mapped_column(String(NAME_LENGTH))
    added_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewNoteRow(Base):
    """A reviewer's note, with an optional score against a criterion; append-only."""

    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    bid_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"),
                                                       nullable=True)
    author: Mapped[str] = mapped_column(String(USER_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    criterion: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")


class DecisionRow(Base):
    """A decision recorded on a review; append-only (a changed mind is a new decision)."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    bid_version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"),
                                                       nullable=True)
    author: Mapped[str] = mapped_column(String(USER_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
