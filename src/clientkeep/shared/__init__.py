"""Small types every capability shares; no dependencies beyond the standard library."""
