import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are matched in English (the message ids); pages pick their own
    language from the request."""
    with translation.override("en"):
        yield
