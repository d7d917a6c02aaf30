"""calmcrown's configuration: one typed object, read from the environment when asked for.

Nothing here runs at import time. A malformed value (a database URL calmcrown cannot use)
is refused loudly with the name of the variable, rather than failing later somewhere else.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_SCHEMES = ("sqlite", "postgresql")
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("calmcrown", appauthor=False))


class Settings(BaseSettings):
    """Settings from ``CALMCROWN_*`` environment variables, or passed in directly."""

    model_config = SettingsConfigDict(env_prefix="CALMCROWN_", extra="forbid")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the diary; SQLite in the data directory when unset.",
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    profile: str = Field(default="default", min_length=1, max_length=100)
    host: str = Field(default="127.0.0.1", description="Address the web app listens on.")
    port: int = Field(default=8765, ge=1, le=65535)
    server_name: str | None = Field(
        default=None, description="An extra Host name the web app answers to."
    )

    @field_validator("host")
    @classmethod
    def _loopback_only(cls, host: str) -> str:
        # Until accounts exist, the diary must not be reachable from the network.
        if host not in LOOPBACK_HOSTS:
            raise ValueError(
                f"{host!r} is not a loopback address; calmcrown listens on 127.0.0.1, ::1 "
                "or localhost only until accounts exist"
            )
        return host

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, url: str | None) -> str | None:
        if url is None or not url.strip():
            return None
        scheme = url.split(":", 1)[0].split("+", 1)[0]
        if "://" not in url or scheme not in SUPPORTED_SCHEMES:
            # Name only the scheme: the rest of a URL may carry a password.
            raise ValueError(
                f"a {scheme!r} URL is not a database calmcrown supports; use sqlite:///PATH "
                "or postgresql+psycopg://USER@HOST/DB"
            )
        return url

    @property
    def allowed_hosts(self) -> list[str]:
        names = ["127.0.0.1", "localhost", "[::1]"]
        return names + ([self.server_name] if self.server_name else [])

    @property
    def database(self) -> str:
        """The diary's URL: the configured one, or SQLite in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'diary.sqlite3'}"
