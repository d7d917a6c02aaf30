"""The web app: server-rendered pages, a JSON API and the session player, on loopback."""
