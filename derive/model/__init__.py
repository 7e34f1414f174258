"""Build: what a network is. Activations, array leaves with shapes, the array operators (each one SymPy class
carrying its shape rule, vector-Jacobian product, evaluation and printing), PyTorch-style layers, the block
language, index-level networks, convolution windows and parameter counts."""
