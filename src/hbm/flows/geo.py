"""A map of crossing points drawn as SVG from bundled country outlines (Natural Earth 1:50m
via world-atlas, see data/README.md), laid out here as plain data that
``flows/charts/map.svg.html`` draws: no tile server, works with no network at all."""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from hbm.lib.charts import Chart, Label
from hbm.lib.charts import rounded as _r

OUTLINES = Path(__file__).parent / "data" / "countries-50m.json"
LAND, BORDER, WATER = "#eef0e8", "#9aa3ab", "#dbe9f4"
OFFICIAL, INFORMAL = "#0b5cad", "#c2571a"
MAX_RADIUS = 26.0
MARGIN_DEGREES = 1.2

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class CountryShape:
    code: str  # ISO 3166 alpha-3, or "" when the outline has no ISO code
    name: str
    rings: tuple[Ring, ...]
    bounds: tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class MapPoint:
    code: str
    name: str
    latitude: float
    longitude: float
    people: int
    official: bool


def _decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            ring.append((x * sx + tx, y * sy + ty))
        arcs.append(ring)
    return arcs


def _ring(indexes: Sequence[int], arcs: list[Ring]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def _alpha3(numeric: str) -> str:
    country = pycountry.countries.get(numeric=numeric.zfill(3)) if numeric.isdigit() else None
    return country.alpha_3 if country else ""


@lru_cache(maxsize=1)
def country_shapes() -> tuple[CountryShape, ...]:
    topology = json.loads(OUTLINES.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = tuple(_ring(ring, arcs) for polygon in polygons for ring in polygon)
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        shapes.append(
            CountryShape(
                code=_alpha3(str(geometry.get("id", ""))),
                name=geometry.get("properties", {}).get("name", ""),
                rings=rings,
                bounds=(min(xs), min(ys), max(xs), max(ys)),
            )
        )
    return tuple(shapes)


class _Projection:
    """Equirectangular, scaled by the cosine of the middle latitude so shapes look right
    near the equator and away from it."""

    def __init__(self, bounds: tuple[float, float, float, float], width: int) -> None:
        self.west, self.south, self.east, self.north = bounds
        self.x_scale = math.cos(math.radians((self.south + self.north) / 2))
        self.width = width
        self.unit = width / ((self.east - self.west) * self.x_scale)
        self.height = round((self.north - self.south) * self.unit)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.x_scale * self.unit, (self.north - lat) * self.unit


def view_bounds(points: Sequence[MapPoint]) -> tuple[float, float, float, float]:
    if not points:
        return (-20.0, -35.0, 55.0, 38.0)  # Africa, when there is nothing to show yet
    west, east = min(p.longitude for p in points), max(p.longitude for p in points)
    south, north = min(p.latitude for p in points), max(p.latitude for p in points)
    pad_x = max((east - west) * 0.15, MARGIN_DEGREES)
    pad_y = max((north - south) * 0.15, MARGIN_DEGREES)
    # more room on the east, where the points' names are written
    return west - pad_x, south - pad_y, east + pad_x + max(east - west, 2.0) * 0.35, north + pad_y


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _path(ring: Ring, project: _Projection) -> str:
    coords = [project(x, y) for x, y in ring]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z"


@dataclass(frozen=True)
class Country:
    name: str
    outline: str  # SVG path data: thousands of vertices, cheaper joined here than in a template
    label: Label  # its code, in the middle of the part that is in view


@dataclass(frozen=True)
class Marker:
    code: str
    title: str
    x: float
    y: float
    radius: float
    colour: str
    label: Label


@dataclass(frozen=True)
class PointMap(Chart):
    kind = "map"
    countries: tuple[Country, ...]
    markers: tuple[Marker, ...]  # largest first, so that small circles stay on top
    land: str = LAND
    border: str = BORDER
    water: str = WATER


def _countries(bounds: tuple[float, float, float, float], project: _Projection) -> list[Country]:
    countries = []
    for shape in country_shapes():
        if not _overlaps(shape.bounds, bounds):
            continue
        label_x = (max(shape.bounds[0], bounds[0]) + min(shape.bounds[2], bounds[2])) / 2
        label_y = (max(shape.bounds[1], bounds[1]) + min(shape.bounds[3], bounds[3])) / 2
        x, y = project(label_x, label_y)
        countries.append(
            Country(
                name=shape.name,
                outline="".join(_path(ring, project) for ring in shape.rings),
                label=Label(_r(x), _r(y), shape.code or shape.name),
            )
        )
    return countries


def point_map(points: Sequence[MapPoint], *, title: str, width: int = 900) -> PointMap:
    """Countries around the points, each point a circle whose area follows its people."""
    bounds = view_bounds(points)
    project = _Projection(bounds, width)
    peak = max([p.people for p in points] + [1])
    markers = []
    for point in sorted(points, key=lambda p: -p.people):
        x, y = project(point.longitude, point.latitude)
        radius = 3 + (MAX_RADIUS - 3) * math.sqrt(point.people / peak)
        people = f"{point.people:,}"
        markers.append(
            Marker(
                code=point.code,
                title=f"{point.name}: {people}",
                x=_r(x),
                y=_r(y),
                radius=_r(radius),
                colour=OFFICIAL if point.official else INFORMAL,
                label=Label(_r(x + radius + 3), _r(y + 4), f"{point.name} · {people}"),
            )
        )
    return PointMap(
        title, width, project.height, tuple(_countries(bounds, project)), tuple(markers)
    )
