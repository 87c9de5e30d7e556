"""Running the analysis as a whole: preparing a corpus, the tables for a selection, writing
them, and memory hygiene.
"""
