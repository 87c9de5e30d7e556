"""The corpus on disk: article files, the outlet registry, the meetings catalogue, their
schemas, and selecting articles.
"""
