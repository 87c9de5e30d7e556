"""Counting and comparing terms: term counts, log-odds contrasts, keyword in context and
intervals.
"""
