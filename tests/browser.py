"""Headless Chromium for the end-to-end tests: Debian's package, driven by Playwright.

Tests that use it are marked `browser`; tests/conftest.py lets Django run beside
Playwright's event loop for those tests only.
"""

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking switches Chromium keeps dialling out, and this
# machine's closed network refuses every attempt.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    """A headless Chromium browser from a `sync_playwright()` context."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
