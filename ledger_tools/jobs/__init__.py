"""One module per command: read through sheets/, decide through core/, write through sheets/."""
