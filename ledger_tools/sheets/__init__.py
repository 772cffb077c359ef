"""The only place that knows a spreadsheet exists."""
