"""Platform files in and out: a lossless JSON export, and an import that is one more front door.

The import calls the services a person's clicks call (create_platform, add_agent, set_role,
represent, edit_catalogue, add_resource, record_event, confirm_event, dispute_event,
correct_event), so a file is checked exactly as if someone typed it in. It runs in one
transaction: a file that is half valid imports nothing. Every event has a key (the ledger's
`import_key`); a key already in the ledger is skipped, so importing a file twice changes
nothing. The format is documented in docs/import-format.md.

An export replays into an empty database as the same platform: exporting what was just
imported gives a byte-identical file. What the services stamp themselves and cannot be
replayed (when the platform, a catalogue version or a role change was created, logins) is
left out of the file; the ledger's own times (recorded_at, status changes) are kept.

The package sits above the apps whose services it calls (platforms, ledger, spaces): no app
imports it, the command line and the API do. By topic: formats (the file's vocabulary),
reading (files to rows), checking (values), importing and events (the replay), exporting.
"""

from .exporting import dumps, export_file, export_platform
from .formats import FileError, Where
from .importing import Summary, import_events_csv, import_file

__all__ = [
    "FileError",
    "Summary",
    "Where",
    "dumps",
    "export_file",
    "export_platform",
    "import_events_csv",
    "import_file",
]
