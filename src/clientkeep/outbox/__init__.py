"""Messages to customers: written with the work that needs them, delivered after commit."""
