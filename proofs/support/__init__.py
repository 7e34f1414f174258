"""Helpers of the assignment's proofs, not proofs themselves: its networks, weight maps and experiments.

The engine (``derive/``) knows nothing of these. No module here defines a ``@proof`` builder, and none is
listed in :data:`proofs.DOCUMENT`, so neither the build nor the pytest plugin takes one for a proof; pytest
still runs their doctests (``proofs`` is in ``testpaths``).

=====================  ====================================================================================
module                 what it holds
=====================  ====================================================================================
``equivalence``        Q4: the derived weight map between a sigmoid and a tanh network, both directions
``bias_variance``      Q3: the seeded bias-variance experiments (random features, trained tanh networks)
``tanh_network``       Q5: the per-example loss of the tiny tanh network
``resnet``             Q6: the layer list of ResNet-18 (basic blocks), for the parameter counts
``transfer``           Q6: the seeded transfer-learning experiment on synthetic data
=====================  ====================================================================================
"""
