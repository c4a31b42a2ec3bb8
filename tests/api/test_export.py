"""The API's export is the command line's: the same documents, for hosts and facilitators."""

import json

from tribu.interchange import dumps, export_platform
from tribu.interchange.valueflows import to_valueflows
from tribu.platforms.models import Platform


def test_the_api_gives_the_same_documents_as_the_command_line(world):
    client = world.client("hana-essai")
    data = export_platform(Platform.objects.get(slug="essai"))
    tribu = client.get("/api/platforms/essai/export").json()
    valueflows = client.get("/api/platforms/essai/export?format=valueflows").json()
    assert dumps(tribu) == dumps(json.loads(dumps(data)))
    assert dumps(valueflows) == dumps(to_valueflows(data))
