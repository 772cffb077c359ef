"""Speed benchmark of the ledger commands at city and province scale (not part of the tests)."""
