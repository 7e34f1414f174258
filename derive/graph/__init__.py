"""A general graph of array operators: typed leaves with shapes, reverse mode over any DAG, two evaluators."""
