"""Evaluate: NumPy kernels shared by every array operator, and the one exact and one float evaluator of a graph."""
