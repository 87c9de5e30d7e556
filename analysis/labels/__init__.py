"""Per-article labels with their evidence: targets, quotations, stance, outcome framing,
frames, agenda and sources.
"""
