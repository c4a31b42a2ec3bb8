"""The map of the landscape: France's départements, the national directory of third places
and the published Tribu platforms, drawn by the server as one SVG (no tiles, no script).

The projection is equirectangular around 46.5° N (longitudes shrunk by its cosine), which
is close enough for metropolitan France at this size. Overseas places do not fit the
frame: they are in the list below the map.
"""

import csv
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data"
WEST, EAST, SOUTH, NORTH = -5.3, 9.7, 41.3, 51.15
SHRINK = math.cos(math.radians(46.5))
WIDTH = 600
SCALE = WIDTH / ((EAST - WEST) * SHRINK)
HEIGHT = round((NORTH - SOUTH) * SCALE)
TYPES = {
    "Tiers lieux à dominante coworking": "coworking",
    "Tiers lieux à dominante fablab": "fablab",
}
TRIBU = "tribu"


@dataclass(frozen=True)
class Place:
    name: str
    commune: str
    kind: str  # coworking, fablab, other, tribu
    region: str  # INSEE region code, "" when unknown
    lat: float
    lon: float
    link: str = ""

    @property
    def xy(self) -> tuple[float, float] | None:
        if not (WEST <= self.lon <= EAST and SOUTH <= self.lat <= NORTH):
            return None
        return project(self.lon, self.lat)


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - WEST) * SHRINK * SCALE, (NORTH - lat) * SCALE


def _ring(points) -> str:
    coords = [project(lon, lat) for lon, lat in points]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z"


@lru_cache(maxsize=1)
def departements() -> tuple[tuple[str, str, str, tuple[float, float]], ...]:
    """(code, name, SVG path, centre) of each département, read once per process."""
    features = json.loads((DATA / "departements-simplifies.geojson").read_text("utf-8"))
    result = []
    for feature in features["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        path = "".join(_ring(ring) for polygon in polygons for ring in polygon)
        outer = [pt for polygon in polygons for pt in polygon[0]]
        lons, lats = [p[0] for p in outer], [p[1] for p in outer]
        centre = ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
        props = feature["properties"]
        result.append((props["code"], props["nom"], path, centre))
    return tuple(result)


def _float(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def directory() -> tuple[Place, ...]:
    """The 1,512 places of the national directory of third places (2019)."""
    places = []
    with (DATA / "tiers-lieux-2019.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lat, lon = _float(row["LAT"]), _float(row["LONG"])
            if lat is None or lon is None:
                continue
            places.append(
                Place(
                    name=row["NOM_TL"].strip(),
                    commune=row["NOMCOM"].strip(),
                    kind=TYPES.get(row["TYPO"], "other"),
                    region=row["INSEEREG"].strip(),
                    lat=lat,
                    lon=lon,
                )
            )
    return tuple(places)


@lru_cache(maxsize=1)
def regions() -> tuple[tuple[str, str], ...]:
    names = {}
    with (DATA / "tiers-lieux-2019.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["INSEEREG"]:
                names[row["INSEEREG"]] = row["NOMREG"]
    return tuple(sorted(names.items(), key=lambda item: item[1]))


@lru_cache(maxsize=1)
def _communes() -> dict[str, tuple[float, float, str]]:
    """Where a commune is and its name, from the directory's places that lie in it."""
    found = {}
    with (DATA / "tiers-lieux-2019.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lat, lon = _float(row["LAT"]), _float(row["LONG"])
            if row["INSEECOM"] not in ("", "0") and lat is not None and lon is not None:
                found.setdefault(row["INSEECOM"], (lat, lon, row["NOMCOM"].strip()))
    return found


def commune_name(commune_code: str) -> str:
    """The commune's name when the directory knows it, else its INSEE code."""
    known = _communes().get(commune_code)
    return known[2] if known and known[2] else commune_code


def locate(commune_code: str) -> tuple[float, float] | None:
    """(lat, lon) of a commune: a directory place in it, else its département's centre."""
    if not commune_code:
        return None
    if commune_code in _communes():
        return _communes()[commune_code][:2]
    prefix = commune_code[:3] if commune_code.startswith("97") else commune_code[:2]
    for code, _name, _path, (lon, lat) in departements():
        if code == prefix:
            return lat, lon
    return None


def draw(places: list[Place], *, title: str, desc: str) -> str:
    """The SVG: outlines, then directory places as dots, then Tribu platforms as squares."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="obs-map-title obs-map-desc" class="obs-map-svg">',
        f'<title id="obs-map-title">{escape(title)}</title>',
        f'<desc id="obs-map-desc">{escape(desc)}</desc>',
        '<g class="dep" fill="#f1efe9" stroke="#b9b4a7" stroke-width="0.6">',
    ]
    parts += [
        f'<path d="{path}"><title>{escape(name)} ({code})</title></path>'
        for code, name, path, _centre in departements()
    ]
    parts.append("</g>")
    for place in sorted(places, key=lambda p: p.kind == TRIBU):
        xy = place.xy
        if xy is None:
            continue
        label = escape(f"{place.name} — {place.commune}")
        if place.kind == TRIBU:
            parts.append(
                f'<rect x="{xy[0] - 5:.1f}" y="{xy[1] - 5:.1f}" width="10" height="10" '
                f'class="k-tribu" fill="#9d174d" stroke="#fff" stroke-width="1.5">'
                f"<title>{label}</title></rect>"
            )
        else:
            parts.append(
                f'<circle cx="{xy[0]:.1f}" cy="{xy[1]:.1f}" r="2.6" class="k-{place.kind}">'
                f"<title>{label}</title></circle>"
            )
    parts.append("</svg>")
    return "\n".join(parts)


def kind_labels() -> dict[str, str]:
    return {
        "coworking": _("Coworking-dominant third place"),
        "fablab": _("Fab-lab-dominant third place"),
        "other": _("Third place without a type"),
        TRIBU: _("Tribu platform (published)"),
    }
