"""The REST API (FastAPI) under /api/v1, and the app that also serves the staff web UI."""
