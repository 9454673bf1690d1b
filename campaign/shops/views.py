from __future__ import annotations

from flask import Blueprint

bp = Blueprint("shops", __name__)
