"""One convention for where things live: each app owns its pages, its templates and its API
operations; tribu.web keeps only the site's own pages and tribu.api only the assembly."""

from pathlib import Path

from django.urls import get_resolver

TOKENS = {"tribu.api.tokens", "tribu.api.my_tokens"}

TRIBU = Path(__file__).resolve().parents[1] / "tribu"
SITE_PAGES = {"home", "favicon", "profile", "to-confirm"}


def page_modules() -> dict[str, str]:
    """Each named page's view module."""
    modules = {}

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            elif pattern.name and pattern.callback.__module__.startswith("tribu."):
                modules[pattern.name] = pattern.callback.__module__

    walk(get_resolver().url_patterns)
    return modules


def test_the_web_app_serves_only_the_sites_own_pages():
    served = {name for name, module in page_modules().items() if module.startswith("tribu.web")}
    assert served == SITE_PAGES


def test_the_ledger_reports_and_platforms_pages_live_in_their_apps():
    modules = page_modules()
    assert modules["ledger"].startswith("tribu.ledger.")
    assert modules["catalogue-edit"].startswith("tribu.ledger.")
    assert modules["balance-sheet"].startswith("tribu.reports.")
    assert modules["flow-map"].startswith("tribu.reports.")
    assert modules["members"].startswith("tribu.platforms.")
    assert modules["platform-detail"].startswith("tribu.platforms.")


def test_each_apps_templates_sit_under_its_own_name():
    for folder in TRIBU.glob("*/templates"):
        assert [p.name for p in folder.iterdir()] == [folder.parent.name], folder


def test_every_api_operation_is_written_in_its_app():
    """tribu.api keeps the assembly and the tokens (its own feature); no app's operation."""
    from tribu.api.main import api

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                module = operation.view_func.__module__
                # The API's own tokens are the one thing the API module owns.
                assert module in TOKENS or not module.startswith("tribu.api"), module
