"""Declarations of the indicator sources over the importer core."""

DECLARATIONS: list = []
