"""Seeded NumPy experiments whose measured numbers the proofs print (each runs in seconds)."""
