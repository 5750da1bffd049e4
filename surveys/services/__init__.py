"""Writes to the survey app, one module per concern; import the function from its module."""
