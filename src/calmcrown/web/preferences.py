"""The person's display and player preferences, kept in a cookie on their own device.

They are about this screen and this room (a dim theme, a quiet chime), not about the
diary, so they stay with the browser rather than in the database.
"""

from __future__ import annotations

import base64
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

COOKIE = "calmcrown-preferences"
ONE_YEAR_S = 365 * 24 * 3600


class Preferences(BaseModel):
    model_config = ConfigDict(extra="ignore")

    theme: Literal["dim", "light"] = "dim"
    voice: bool = True
    chime_volume: float = Field(default=0.4, ge=0.0, le=1.0)
    start_delay: int = Field(default=5, ge=0, le=60)
    partner_mode: bool = False
    read_steps: Literal["alone", "always", "never"] = "alone"
    """Read each step's how-to aloud: by default when massaging yourself, eyes closed."""

    def reads_how(self, partner_mode: bool) -> bool:
        if self.read_steps == "alone":
            return not partner_mode
        return self.read_steps == "always"


def read_preferences(cookie: str | None) -> Preferences:
    """The preferences in ``cookie``; anything missing or malformed falls back to defaults."""
    if not cookie:
        return Preferences()
    try:
        return Preferences.model_validate(json.loads(base64.urlsafe_b64decode(cookie)))
    except (ValueError, ValidationError):
        return Preferences()


def cookie_value(preferences: Preferences) -> str:
    # Base64 keeps JSON's quotes and commas, which cookies cannot hold, out of the header.
    return base64.urlsafe_b64encode(preferences.model_dump_json().encode()).decode()
