"""The person's display and player preferences, kept in a cookie on their own device.

They are about this screen and this room (a dim theme, a quiet chime), not about the
diary, so they stay with the browser rather than in the database.
"""

from __future__ import annotations

import base64
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

COOKIE = "calmcrown-preferences"
ONE_YEAR_S = 365 * 24 * 3600


class Preferences(BaseModel):
    model_config = ConfigDict(extra="ignore")

    theme: Literal["dim", "light"] = "dim"
    voice: bool = True
    chime_volume: float = Field(default=0.4, ge=0.0, le=1.0)
    start_delay: int = Field(default=5, ge=0, le=60)
    giver: Literal["self", "partner", "practitioner"] = "self"
    """Who gives the massage: the minute buttons start routines for them, and with anyone
    but yourself the player asks about the pressure (partner mode)."""
    read_steps: Literal["alone", "always", "never"] = "alone"
    """Read each step's how-to aloud: by default when massaging yourself, eyes closed."""
    emergency_number: str = Field(default="", pattern=r"^([0-9]{2,6})?$")
    """The local emergency number, for the tap-to-call on an emergency verdict."""
    name: str = Field(default="", max_length=80, pattern=r"^[^\x00-\x1f\x7f]*$")
    """The person's name, printed on the report for their doctor; optional."""

    @model_validator(mode="before")
    @classmethod
    def _partner_mode_of_before(cls, data: object) -> object:
        # A cookie saved before "who gives the massage" had a partner_mode tick box.
        if isinstance(data, dict) and "giver" not in data and data.get("partner_mode") is True:
            return data | {"giver": "partner"}
        return data

    @property
    def partner_mode(self) -> bool:
        return self.giver != "self"

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
