"""The web application: server-rendered pages over the same services as the JSON API."""
