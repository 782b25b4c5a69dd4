"""What the tests (tests/, e2e/) and the benchmarks (benchmarks/) share: the site built with
`mkdocs build --strict` under a subpath, a small static server, the Chromium they drive, and
the `thangdiem` command run from this checkout.

A plain package, not a pytest plugin: e2e/conftest.py wraps it in fixtures and
benchmarks/bench.py calls it directly, so neither imports the other.
"""
