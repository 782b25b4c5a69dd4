"""Browser tests of the built guide (Playwright + Chromium).

A package so that its modules do not clash with tests/ (both have test_form.py, test_summary.py,
test_offline.py) and can import their helpers (conftest, pages) relatively.
"""
