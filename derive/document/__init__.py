"""Document: proofs as ordered claims, loading a directory of proof modules, building and writing the article,
and the derivation document of a block."""
