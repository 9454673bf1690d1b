"""JSON API v1 under ``/api/v1``: the same services and queries as the HTML pages, bearer-token
auth, and an OpenAPI 3.1 document built from the routes (``/api/v1/openapi.json``).

The view modules add their routes to the one blueprint defined in :mod:`.core`.
"""
from campaign.api import (  # noqa: F401
               accounts,
               affected,
               buyers,
               giving,
               needs,
               openapi,
               public,
               roster,
               staff,
               training,
               trust,  # (registers the routes)
)
from campaign.api.core import bp

__all__ = ["bp"]
