"""Charts are well-formed SVG, accessible, escaped, and draw what their data says."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from tribu.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def rects_with_values(root: ET.Element) -> list[tuple[float, float, float]]:
    return [
        (float(r.get("width")), float(r.get("height")), float(r.get("data-value")))
        for r in root.iter(f"{SVG}rect")
        if r.get("data-value") is not None
    ]


def assert_accessible(root: ET.Element, uid: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{uid}-title {uid}-desc"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text


def test_histogram_counts_every_draw_and_marks_one():
    rng = np.random.default_rng(1)
    samples = rng.normal(1.2, 0.2, 5000)
    root = parse(charts.histogram("h", samples, title="T", desc="D", marker_label="= 1"))
    assert_accessible(root, "h")
    bars = rects_with_values(root)
    assert sum(value for _, _, value in bars) == 5000
    tallest = max(bars, key=lambda b: b[2])
    for _, height, value in bars:  # heights proportional to counts
        assert height == pytest.approx(tallest[1] * value / tallest[2], abs=0.02)
    marker = root.find(f"{SVG}line[@class='marker']")
    assert marker is not None


def test_histogram_colours_bars_on_each_side_of_one():
    root = parse(charts.histogram("h", np.array([0.5, 0.6, 1.5, 1.6]), title="T", desc="D", bins=4))
    colours = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("data-value") != "0"]
    assert colours == [charts.WARN, charts.NON_MARKET]


def test_tornado_bars_are_proportional_to_their_swing():
    bars = [{"label": "a", "low": 0.8, "high": 1.6}, {"label": "b", "low": 1.0, "high": 1.2}]
    root = parse(charts.tornado("t", bars, centre=1.1, title="T", desc="D"))
    assert_accessible(root, "t")
    (w1, _, v1), (w2, _, v2) = rects_with_values(root)
    assert v1 == pytest.approx(0.8) and v2 == pytest.approx(0.2)
    assert w1 / w2 == pytest.approx(v1 / v2, rel=1e-3)


def test_grouped_bars_share_one_scale():
    groups = [
        ("market", [charts.Bar("revenue", 100), charts.Bar("costs", 400)]),
        ("non-market", [charts.Bar("benefits", 300)]),
    ]
    root = parse(charts.grouped_bars("g", groups, title="T", desc="D"))
    heights = {value: height for _, height, value in rects_with_values(root)}
    assert heights[400] / heights[100] == pytest.approx(4, rel=1e-3)
    assert heights[300] / heights[100] == pytest.approx(3, rel=1e-3)


def test_sankey_band_thickness_follows_value_and_nodes_sum_their_flows():
    nodes = [{"id": 1, "name": "Alice"}, {"id": 2, "name": "Host"}, {"id": 3, "name": "Bob"}]
    links = [
        {"source": 1, "target": 2, "kind": "desk", "value": 300.0},
        {"source": 3, "target": 2, "kind": "coffee", "value": 100.0},
        {"source": 1, "target": 3, "kind": "desk", "value": 0.0},
    ]  # nothing to draw
    root = parse(charts.sankey("s", nodes, links, title="T", desc="D", unit="EUR"))
    assert_accessible(root, "s")
    paths = [
        (float(p.get("stroke-width")), float(p.get("data-value"))) for p in root.iter(f"{SVG}path")
    ]
    assert len(paths) == 2
    (w1, v1), (w2, v2) = sorted(paths, reverse=True)
    assert w1 / w2 == pytest.approx(v1 / v2, rel=1e-3)
    node_values = sorted(value for _, _, value in rects_with_values(root))
    assert node_values == [100.0, 300.0, 400.0]  # Bob gave, Alice gave, Host received


def test_charts_escape_the_text_they_draw():
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    nodes = [{"id": 1, "name": evil}, {"id": 2, "name": "ok"}]
    svgs = [
        charts.sankey(
            "s",
            nodes,
            [{"source": 1, "target": 2, "kind": evil, "value": 1}],
            title=evil,
            desc=evil,
        ),
        charts.tornado(
            "t", [{"label": evil, "low": 0.5, "high": 2}], centre=1, title=evil, desc=evil
        ),
        charts.grouped_bars("g", [(evil, [charts.Bar(evil, 1)])], title=evil, desc=evil),
        charts.histogram("h", np.array([1.0, 2.0]), title=evil, desc=evil, marker_label=evil),
        charts.empty("e", evil, evil),
    ]
    for svg in svgs:
        assert "<script" not in svg and "<img" not in svg
        parse(svg)  # still well-formed XML


def test_sankey_writes_long_names_whole():
    name = "Agence publique du numérique (démo)"
    nodes = [{"id": 1, "name": name}, {"id": 2, "name": "Banque Horizon (démo)"}]
    links = [{"source": 1, "target": 2, "kind": "desk", "value": 10.0}]
    root = parse(charts.sankey("s", nodes, links, title="T", desc="D", unit="EUR"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert name in texts and "Banque Horizon (démo)" in texts
