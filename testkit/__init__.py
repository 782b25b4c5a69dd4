"""What the browser tests (e2e/) and the benchmarks (benchmarks/) share: the site built with
`mkdocs build --strict` under a subpath, a small static server, and the Chromium they drive.

A plain package, not a pytest plugin: e2e/conftest.py wraps it in fixtures and
benchmarks/bench.py calls it directly, so neither imports the other.
"""
