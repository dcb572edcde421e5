"""clientkeep: customer records that keep the law."""

__version__ = "0.1.0"
