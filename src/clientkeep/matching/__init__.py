"""Finding customers: exact and fuzzy search over blind indexes, and duplicate detection."""
