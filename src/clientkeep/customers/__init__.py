"""Customer records: collect, store encrypted, read by purpose, rectify with history, merge."""
