"""Sub-commands of the ``trainlab`` command line, one module each.

A module here defines ``NAME`` (the sub-command), ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``. ``trainlab.cli`` finds
them by itself, so adding a command never edits a shared file.
"""
