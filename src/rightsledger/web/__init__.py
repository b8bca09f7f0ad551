"""The web application and JSON API (``rightsledger serve``)."""

from .app import create_app

__all__ = ["create_app"]
