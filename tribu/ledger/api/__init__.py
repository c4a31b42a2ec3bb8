"""The ledger through the API: its flows, and the catalogue they are valued with. Mount
both routers with `api.add_router("", …)`."""
