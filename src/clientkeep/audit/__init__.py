"""The tamper-evident audit trail: every read and change, hash-chained."""
