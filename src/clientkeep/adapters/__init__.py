"""Adapters: the database, cryptography and the entry points. The domain never imports these."""
