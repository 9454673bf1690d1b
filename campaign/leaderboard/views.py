from __future__ import annotations

from flask import Blueprint

bp = Blueprint("leaderboard", __name__)
