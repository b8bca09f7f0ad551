"""Persistence: SQLAlchemy tables, engines per URL, migrations, and row mapping."""

from .session import Sessions, make_engine, parse_url, safe_url, sqlite_path
from .tables import Base

__all__ = ["Base", "Sessions", "make_engine", "parse_url", "safe_url", "sqlite_path"]
