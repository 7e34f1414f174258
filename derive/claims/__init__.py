"""LaTeX claims in: the notation layer that reads a LaTeX claim into engine objects, the vocabularies, and ``check``."""
