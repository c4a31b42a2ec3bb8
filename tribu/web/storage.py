"""Static files: collected the same way whether DEBUG is on or off.

`collectstatic` always writes hashed, compressed copies and the manifest, so that the
files `make run` collects in development also serve a production server. With DEBUG
on, Django links the plain names anyway; with DEBUG off, the hashed ones.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    # A file added after the last collectstatic is linked by its plain name rather than
    # failing the page; `check --deploy` refuses a missing manifest (tribu/web/checks.py).
    manifest_strict = False
