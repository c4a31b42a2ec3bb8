#!/bin/sh
# The web catalogue also holds the strings of the shared templates (base.html, the account
# pages), of the report files the pages own (charts' words, CSV export), and of the pages
# that moved to their apps (the ledger's, the reports', the Cause and members pages): they
# are linked in for the time of the extraction.
set -e
cd "$(dirname "$0")"
mkdir -p _shared/ledger _shared/reports _shared/platforms
ln -sfn ../../templates _shared/templates
ln -sf ../../reports/exports.py _shared/exports.py
for page in views templates forms.py rows.py; do
    ln -sfn ../../../ledger/$page _shared/ledger/$page
done
for page in views.py templates forms.py; do
    ln -sfn ../../../reports/$page _shared/reports/$page
done
for page in members.html platform_detail.html; do
    ln -sf ../../../platforms/templates/platforms/$page _shared/platforms/$page
done
ln -sf ../../../platforms/members.py _shared/platforms/members.py
trap 'rm -rf _shared' EXIT
DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH=../.. ../../.venv/bin/django-admin \
    makemessages -l fr --symlinks --no-obsolete "$@"
