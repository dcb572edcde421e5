"""The staff web UI: server-rendered Jinja2 pages that work without JavaScript."""
