"""Sales analytics: pandas and NumPy code of the kind data teams write."""
