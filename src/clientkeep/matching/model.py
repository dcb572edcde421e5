"""What a search or a duplicate check returns: a summary cut by the read's projection."""

from __future__ import annotations

from clientkeep.customers.views import Match, summary

__all__ = ["Match", "summary"]
