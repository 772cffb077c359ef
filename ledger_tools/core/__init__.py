"""Pure rules: no file formats here."""
