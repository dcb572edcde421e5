"""Contacts with customers: the interaction log, its note checker, follow-ups and the timeline."""
