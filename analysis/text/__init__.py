"""Text as the analyses read it: boilerplate cleaning, sentence splitting and tokens."""
