from __future__ import annotations

from flask import Blueprint

bp = Blueprint("purchases", __name__)
