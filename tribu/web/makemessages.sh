#!/bin/sh
# The web catalogue also holds the strings of the shared templates (base.html, the account
# pages) and of the report files the pages own (charts' words, CSV export): they are
# linked in for the time of the extraction.
set -e
cd "$(dirname "$0")"
mkdir -p _shared
ln -sfn ../../templates _shared/templates
ln -sf ../../reports/exports.py _shared/exports.py
trap 'rm -rf _shared' EXIT
DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=../.. ../../.venv/bin/django-admin \
    makemessages -l fr --symlinks --no-obsolete "$@"
