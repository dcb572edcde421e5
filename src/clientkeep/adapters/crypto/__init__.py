"""Envelope encryption (AES-256-GCM), the key store, blind indexes and master-key rotation.

Per-customer data keys seal personal values; a versioned master key wraps the data keys; the
wrapped keys live in a database apart from the data, so destroying one key erases a customer
everywhere, backups included.
"""
