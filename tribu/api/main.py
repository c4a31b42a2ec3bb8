"""The REST API: the same services as the pages, with token authentication."""

from ninja import NinjaAPI

api = NinjaAPI(title="Tribu API", version="1", urls_namespace="api")
