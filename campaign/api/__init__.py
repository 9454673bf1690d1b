"""JSON API v1 under ``/api/v1``: the same services and queries as the HTML pages, bearer-token
auth, and an OpenAPI 3.1 document built from the routes (``/api/v1/openapi.json``).

The view modules add their routes to the one blueprint defined in :mod:`.core`.
"""
from . import (accounts, affected, giving, needs, openapi, public, roster, staff, training,  # noqa: F401
               trust)  # (registers the routes)
from .core import bp

__all__ = ["bp"]
