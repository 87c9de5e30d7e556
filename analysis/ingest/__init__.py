"""Bringing articles in: format readers, inference of date, language, outlet and meeting,
duplicate detection, and the all-or-nothing importer.
"""
