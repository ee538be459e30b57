"""Sub-commands of the ``trainlab`` command line, one module each.

A module here is named for its sub-command and defines ``NAME``, ``HELP`` (one
line, a literal string: ``trainlab --help`` reads it from the source without
importing the module), ``add_arguments(parser)`` and ``run(args) -> int``.
``trainlab.cli`` finds them by itself, so adding a command never edits a shared
file.
"""
