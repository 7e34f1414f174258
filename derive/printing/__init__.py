"""Print: deep-learning LaTeX notation, and standalone NumPy modules generated from derived closed forms."""
