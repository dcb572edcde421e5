"""Feedback: satisfaction scores (CSAT, NPS) and the reports that count them."""
