"""The fixtures are a learner's files, some broken on purpose (a syntax error, an
exception at import): pytest must not import them, not even for doctests."""

collect_ignore_glob = ["fixtures/*"]
