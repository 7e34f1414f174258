"""The ``derive`` command: ``build``, ``list``, ``check`` and ``grad``."""
