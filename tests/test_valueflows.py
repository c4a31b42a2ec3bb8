"""ValueFlows 1.0 JSON-LD: every term Tribu writes is ValueFlows 1.0's (or Tribu's own),
used within its domain and range; nothing is lost in JSON-LD expansion; and a platform
survives export, import into an empty database and export again, byte for byte."""

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from tests.test_interchange import ROOT, busy_ledger
from tribu.interchange import export_platform
from tribu.interchange.exporting import export_file
from tribu.interchange.valueflows import TRIBU, VF, to_valueflows

# ValueFlows 1.0 (CC BY-SA 4.0, attribution in that folder's README.md and LICENSE.txt).
ONTOLOGY = Path(__file__).resolve().parent / "vocab" / "valueflows"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float}
VFNS = Namespace(VF)


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "vf-1.0.ttl", format="turtle")


def members(cls: URIRef) -> set[URIRef]:
    """A class, or the classes of its `owl:unionOf`."""
    union = ontology().value(cls, OWL.unionOf)
    return set(Collection(ontology(), union)) if union is not None else {cls}


def with_superclasses(types: set) -> set:
    found = set(types)
    for t in types:
        found |= set(ontology().transitive_objects(t, RDFS.subClassOf))
    return found


@pytest.fixture
def document(tribe) -> dict:
    return to_valueflows(export_platform(busy_ledger(tribe)))


def data_graph(document: dict) -> Graph:
    return Graph().parse(data=json.dumps(document), format="json-ld")


def test_every_class_and_property_written_is_in_valueflows_1_0_within_domain_and_range(document):
    graph = data_graph(document)
    vf_classes = set(ontology().subjects(RDF.type, OWL.Class))
    used = {o for o in graph.objects(None, RDF.type) if str(o).startswith(VF)}
    assert used and used <= vf_classes, used - vf_classes

    problems = []
    predicates = {p for p in graph.predicates() if str(p).startswith(VF)}
    assert VFNS.provider in predicates and VFNS.hasNumericalValue in predicates
    for prop in predicates:
        kinds = set(ontology().objects(prop, RDF.type))
        if not kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            problems.append(f"{prop} is not a ValueFlows 1.0 property")
            continue
        domain, range_ = ontology().value(prop, RDFS.domain), ontology().value(prop, RDFS.range)
        for subject, value in graph.subject_objects(prop):
            types = with_superclasses(set(graph.objects(subject, RDF.type)))
            if domain is not None and not types & members(domain):
                problems.append(f"{prop}: subject typed {types} outside {members(domain)}")
            if range_ is not None and not in_range(graph, value, range_):
                problems.append(f"{prop}: {value!r} outside {range_}")
    assert problems == []


def in_range(graph: Graph, value, range_: URIRef) -> bool:
    if isinstance(value, Literal):
        if range_ == URIRef("http://www.linkedmodel.org/schema/dtype#numericUnion"):
            return value.datatype in NUMERIC
        return value.datatype == range_ or (range_ == XSD.string and value.datatype is None)
    types = set(graph.objects(value, RDF.type)) | set(ontology().objects(value, RDF.type))
    return bool(with_superclasses(types) & members(range_))


def test_inScopeOf_is_not_written_on_events(document):
    """ValueFlows 0.16 moved `inScopeOf` off events; 1.0 keeps it for processes only."""
    assert (None, VFNS.inScopeOf, None) not in data_graph(document)


def test_expansion_drops_no_term(document):
    expanded = jsonld.expand(document)

    def keys(value) -> set[str]:
        if isinstance(value, list):
            return set().union(*map(keys, value)) if value else set()
        if not isinstance(value, dict):
            return set()
        if value.get("@type") == "@json":
            return set()
        own = {k for k in value if not k.startswith("@")}
        return own.union(*(keys(v) for k, v in value.items() if k != "@value"))

    written = keys(document["@graph"])
    kept = keys(expanded)
    assert all(k.startswith(("http", "urn:")) for k in kept)
    prefixes = {"vf": VF, "tribu": TRIBU}

    def iri(term: str) -> str:
        prefix, _colon, name = term.partition(":")
        return prefixes.get(prefix, "(no namespace) ") + name

    assert {iri(k) for k in written} == kept


def test_a_valueflows_export_imported_into_an_empty_database_exports_identically(tribe, tmp_path):
    """Another process, another (empty) SQLite database, through the command line."""
    source = tmp_path / "essai.jsonld"
    export_file(busy_ledger(tribe), source, "valueflows")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SQLITE_PATH=str(tmp_path / "fresh.sqlite3"), DJANGO_SETTINGS_MODULE="config.settings"
    )

    def run(*args):
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr

    again = tmp_path / "again.jsonld"
    run("manage.py", "migrate", "-v0")
    run("-m", "tribu.cli", "import", str(source))
    run("-m", "tribu.cli", "export", str(again), "--platform", "essai", "--format", "valueflows")
    assert again.read_bytes() == source.read_bytes()
