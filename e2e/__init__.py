"""Browser tests of the built criteria guide (Playwright + Chromium)."""
