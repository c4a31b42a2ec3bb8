"""The catalogue of kinds of value: the default one shipped as data, and its versions."""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tribu.core.errors import Conflict, NotFound, TribuError

from .models import CatalogueVersion, ResourceSpecification, SpecificationValues

DEFAULT_CATALOGUE = "catalogue-fr-2026.csv"
PARAMETERS = ("deadweight", "displacement", "attribution", "drop_off")
RANGED = ("proxy",) + PARAMETERS


@dataclass(frozen=True)
class Triple:
    low: Decimal | None
    central: Decimal | None
    high: Decimal | None


def default_rows() -> list[dict]:
    text = resources.files("tribu.ledger").joinpath("data", DEFAULT_CATALOGUE).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def values_from_row(row: dict) -> dict:
    """Field values of a SpecificationValues row, from a catalogue CSV row or an import."""
    fields = {
        "proxy_low": _dec(row.get("proxy_low")),
        "proxy_central": _dec(row.get("proxy_central")),
        "proxy_high": _dec(row.get("proxy_high")),
        "proxy_source": row.get("source", "") or "",
        "proxy_date": date.fromisoformat(row["source_date"]) if row.get("source_date") else None,
    }
    for name in PARAMETERS:
        for level in ("low", "central", "high"):
            fields[f"{name}_{level}"] = _dec(row.get(f"{name}_{level}")) or Decimal(0)
    return fields


def check_values(slug: str, fields: dict) -> None:
    """Low ≤ central ≤ high, fractions within 0–1, prices not negative."""
    for name in RANGED:
        low, central, high = (fields.get(f"{name}_{lv}") for lv in ("low", "central", "high"))
        _check_triple(slug, name, low, central, high)


def _check_triple(slug, name, low, central, high) -> None:
    present = [v for v in (low, central, high) if v is not None]
    for value in present:
        if value < 0:
            raise TribuError(
                _("%(slug)s.%(name)s: %(v)s is negative") % {"slug": slug, "name": name, "v": value}
            )
        if name != "proxy" and value > 1:
            raise TribuError(
                _("%(slug)s.%(name)s: %(v)s is not a fraction between 0 and 1")
                % {"slug": slug, "name": name, "v": value}
            )
    if present != sorted(present):
        raise TribuError(
            _("%(slug)s.%(name)s: low, central and high are out of order (%(vals)s)")
            % {"slug": slug, "name": name, "vals": " / ".join(str(v) for v in present)}
        )


def _create_specification(platform, row: dict) -> ResourceSpecification:
    return ResourceSpecification.objects.create(
        platform=platform,
        slug=row["slug"],
        name_fr=row["name_fr"],
        name_en=row["name_en"],
        unit=row["unit"],
        market=row["market"] == "true",
        headline=row["headline"] == "true",
        cvn_account=row.get("cvn_account", "") or "",
    )


@transaction.atomic
def install_default_catalogue(
    platform, rows: list[dict] | None = None, note: str | None = None
) -> CatalogueVersion:
    """Version 1 of a platform's catalogue: the default rows, or `rows` (an import's)."""
    rows = rows if rows is not None else default_rows()
    if note is None:
        note = _("Default catalogue (France, 2026)")
    version = CatalogueVersion.objects.create(platform=platform, number=1, note=note)
    for row in rows:
        spec = _create_specification(platform, row)
        fields = values_from_row(row)
        check_values(spec.slug, fields)
        SpecificationValues.objects.create(
            platform=platform, specification=spec, version=version, **fields
        )
    return version


def current_version(platform_id: int) -> CatalogueVersion | None:
    return CatalogueVersion.objects.filter(platform_id=platform_id).order_by("-number").first()


def current_values(platform_id: int, version: int | None = None) -> dict[int, SpecificationValues]:
    """The values in force for each specification: its newest row up to `version`."""
    rows = SpecificationValues.objects.filter(platform_id=platform_id).select_related("version")
    if version is not None:
        rows = rows.filter(version__number__lte=version)
    newest: dict[int, SpecificationValues] = {}
    for row in rows.order_by("version__number"):
        newest[row.specification_id] = row
    return newest


@transaction.atomic
def edit_catalogue(
    platform,
    actor,
    changes: dict[str, dict],
    note: str = "",
    new_specifications: list[dict] | None = None,
) -> CatalogueVersion:
    """A new catalogue version with the changed values; older versions stay as they were.

    `changes` maps a specification slug to the fields that change (proxy_low, …,
    drop_off_high, source, source_date); unchanged fields are carried over.
    `new_specifications` are rows in the default catalogue's format (slug, name_fr,
    name_en, unit, market, headline, cvn_account and the values): kinds of value that
    enter the catalogue in this version.
    """
    specs = {s.slug: s for s in ResourceSpecification.objects.filter(platform=platform)}
    changes = dict(changes)
    for row in new_specifications or ():
        if row["slug"] in specs:
            raise Conflict(_("specification “%(slug)s” already exists") % {"slug": row["slug"]})
        specs[row["slug"]] = _create_specification(platform, row)
        changes.setdefault(row["slug"], row)
    in_force = current_values(platform.pk)
    number = (
        CatalogueVersion.objects.filter(platform=platform).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    version = CatalogueVersion.objects.create(
        platform=platform, number=number, note=note, created_by=actor
    )
    for slug, change in changes.items():
        if slug not in specs:
            raise NotFound(_("unknown specification “%(slug)s”") % {"slug": slug})
        spec = specs[slug]
        fields = _carried_over(in_force.get(spec.pk), change)
        check_values(slug, fields)
        SpecificationValues.objects.create(
            platform=platform, specification=spec, version=version, **fields
        )
    return version


def _carried_over(previous: SpecificationValues | None, change: dict) -> dict:
    names = [f"{n}_{lv}" for n in RANGED for lv in ("low", "central", "high")]
    fields = {n: getattr(previous, n) if previous else None for n in names}
    fields["proxy_source"] = previous.proxy_source if previous else ""
    fields["proxy_date"] = previous.proxy_date if previous else None
    for name in names:
        if name in change:
            fields[name] = _dec(change[name])
    if "source" in change:
        fields["proxy_source"] = change["source"]
    if change.get("source_date"):
        fields["proxy_date"] = date.fromisoformat(str(change["source_date"]))
    for name in names:
        if not name.startswith("proxy_") and fields[name] is None:
            fields[name] = Decimal(0)
    return fields
