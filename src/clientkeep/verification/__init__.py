"""Verifying that a caller is the customer before anything is disclosed or changed."""
