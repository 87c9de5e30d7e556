"""Human judgement: the hand-labelled set, the analyst's overrides, and the evaluation of the
labels against them.
"""
