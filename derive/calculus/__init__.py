"""Derive: reverse mode over a graph of array operators, the gradient of a block, and the index-level calculus
(receptive fields, reparametrisations, the quadratic model, softmax heads, expectations, tidy rewrites)."""
