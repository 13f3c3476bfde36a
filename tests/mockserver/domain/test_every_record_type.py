"""Every value of NetSuite's ``RecordType``, sent by a client built from the mock's WSDL and by one
built from NetSuite's own with only the service URL changed: ``add`` writes it, ``get`` reads it
back as its own schema type, ``update`` and ``upsert`` (by its externalId, where the type has
one) write it again, a basic search of its search record finds it (where the schema declares
one), and ``delete`` removes it. Records carry only what their kind requires (the
hand-written kinds use ``test_record_types``' samples); every response validates against the
real XSDs. One reset for the module: each test writes its own record."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
import requests
import zeep
from zeep.exceptions import Fault

from mockserver.admin_client import MockAdmin
from mockserver.domain.records import (DERIVED_TYPES, RECORD_TYPE_ENUM, RECORD_TYPES, kind_of,
                                       reference_targets)
from mockserver.domain.search.families import family, family_of_kind
from mockserver.schema import registry
from mockserver.schema.model import EnumType
from tests.conftest import REAL_WSDL_DIR, ROOT, RecordingTransport, SoapClient
from tests.conftest import checked_call as call
from tests.mockserver.domain.test_record_types import SAMPLES
from tests.zeep_values import build

ALL_TYPES = registry.lookup(RECORD_TYPE_ENUM).values
# Derived kinds whose rules a record of only its required fields would break (an assembly
# build's item must be an assembly, a transfer's two locations must differ): demo records.
VALID_RECORDS = {
    "assemblyBuild": {"item": {"internalId": "5002"}, "quantity": 1.0},
    "assemblyUnbuild": {"item": {"internalId": "5002"}, "quantity": 1.0},
    **{t: {"location": {"internalId": "1"}, "transferLocation": {"internalId": "2"}}
       for t in ("inventoryTransfer", "transferOrder")},
}
SCALARS = {"xsd:string": None, "xsd:double": 1.0, "xsd:long": 1, "xsd:int": 1,
           "xsd:boolean": True, "xsd:dateTime": datetime(2024, 3, 1, tzinfo=timezone.utc)}


@pytest.fixture(scope="module")
def seeded(mock_server) -> dict[str, list[str]]:
    """Reset once; the demo data's internal ids by record type (what references point at)."""
    requests.post(mock_server.url + "/__admin/reset", json={"seed": "demo"},
                  timeout=30).raise_for_status()
    admin = MockAdmin(mock_server.url)
    return {t: [r["internalId"] for r in admin.records(t)] for t in admin.records()}


@pytest.fixture(scope="module")
def real_wsdl_client(mock_server):
    return zeep.Client(str(REAL_WSDL_DIR / "netsuite.wsdl"), transport=RecordingTransport())


@pytest.fixture(scope="module",
                params=["mock WSDL", pytest.param("real WSDL", marks=pytest.mark.shared)])
def client(request, mock_server, zeep_client, seeded) -> SoapClient:
    if request.param == "mock WSDL":
        return SoapClient(zeep_client, mock_server)
    return SoapClient(request.getfixturevalue("real_wsdl_client"), mock_server)


@pytest.fixture(scope="module")
def ns_module(mock_server, zeep_client, seeded) -> SoapClient:
    return SoapClient(zeep_client, mock_server)


def tag_of(client: SoapClient) -> str:
    """Which client wrote a record, so that names the two write stay unique."""
    return "real" if "netsuite.wsdl" in str(client.client.wsdl.location) else "mock"


def minimal_record(client: SoapClient, record_type: str, seeded: dict, tag: str) -> dict:
    """The fields the kind requires, each with a plain value of its schema type; a reference
    points at a demo record of a type the field may point at, or at one added first."""
    if record_type in SAMPLES:
        return dict(SAMPLES[record_type][0])
    if record_type in VALID_RECORDS:
        return dict(VALID_RECORDS[record_type])
    kind = kind_of(record_type)
    fields = {}
    for required in kind.required:
        if required.only_if:
            continue
        type_ref = kind.schema.field(required.field).type_ref
        declared = registry.lookup(type_ref)
        if type_ref == "platformCore:RecordRef":
            targets = reference_targets(kind, required.field)
            target = next((t for t in targets if seeded.get(t)), None)
            fields[required.field] = {"internalId": seeded[target][0] if target else
                                      added(client, targets[0], seeded, tag)}
        elif isinstance(declared, EnumType):
            fields[required.field] = declared.values[0]
        else:
            fields[required.field] = SCALARS[type_ref] or f"{tag} {record_type}"
    return fields


def added(client: SoapClient, record_type: str, seeded: dict, tag: str) -> str:
    kind = kind_of(record_type)
    record = build(client.client, kind.qname,
                   minimal_record(client, record_type, seeded, f"{tag} target"))
    write = client.call("add", record=record).body.writeResponse
    assert write.status.isSuccess is True, write.status
    return write.baseRef.internalId


def search_record(kind, sent: dict, internal_id: str) -> tuple[str, dict] | None:
    fam = family_of_kind(kind)
    if fam is None:
        return None
    criteria = {"internalId": {"operator": "anyOf", "searchValue": [{"internalId": internal_id}]}}
    if fam.schema.field("recType") is not None:  # a custom record search names its type
        criteria["recType"] = sent["recType"]
    if fam.type_values:
        criteria["type"] = {"operator": "anyOf", "searchValue": [fam.type_values[kind.record_type]]}
    return fam.basic, criteria


def test_every_record_type_but_one_is_served():
    assert set(ALL_TYPES) - set(RECORD_TYPES) == {"customTransactionType"}


def test_the_docs_list_every_derived_kind_as_the_code_has_it():
    rows = {}
    for line in (ROOT / "docs" / "record-types.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0] in DERIVED_TYPES:
            rows[cells[0]] = cells[1:4]
    assert set(rows) == DERIVED_TYPES
    for record_type, (qname, family, required) in rows.items():
        kind = kind_of(record_type)
        fields = [r.field for r in kind.required if not r.only_if]
        assert (qname.strip("`"), family) == (kind.qname, kind.family), record_type
        assert [c.split(" (")[0] for c in required.split(", ")] == (fields or ["none"]), \
            record_type


@pytest.mark.parametrize("record_type", ALL_TYPES)
def test_add_get_update_upsert_search_delete(client, response_schema, seeded, record_type):
    kind = kind_of(record_type)
    if kind is None:  # no record type in the schema carries it: nothing to add, get says so
        read = call(client, response_schema, "get",
                    baseRef=client.ref(record_type, "1")).readResponse
        assert read.status.isSuccess is False
        assert read.status.statusDetail[0].code == "INVALID_RCRD_TYPE"
        return
    zc = client.client
    tag = tag_of(client)
    sent = minimal_record(client, record_type, seeded, tag)
    upsertable = any(a.name == "externalId" for a in kind.schema.attributes)
    if upsertable:
        sent["externalId"] = f"EVERY-{tag}-{record_type}"
    write = call(client, response_schema, "add", record=build(zc, kind.qname, sent)).writeResponse
    assert write.status.isSuccess is True, write.status
    assert write.baseRef.type == record_type
    internal_id = write.baseRef.internalId

    got = call(client, response_schema, "get",
               baseRef=client.ref(record_type, internal_id)).readResponse
    assert got.status.isSuccess is True, got.status
    assert type(got.record).__name__ == kind.schema.name
    assert got.record.internalId == internal_id

    changes = SAMPLES[record_type][1] if record_type in SAMPLES else {}
    schema_required = {k: v for k, v in sent.items()   # an update carries minOccurs=1 fields too
                       if (f := kind.schema.field(k)) is not None and f.min_occurs}
    write = call(client, response_schema, "update", record=build(
        zc, kind.qname, {"internalId": internal_id, **schema_required, **changes})).writeResponse
    assert write.status.isSuccess is True, write.status
    if upsertable:   # the same externalId: the record added above, changed again
        write = call(client, response_schema, "upsert", record=build(
            zc, kind.qname, {**sent, **changes})).writeResponse
        assert write.status.isSuccess is True, write.status
        assert write.baseRef.internalId == internal_id

    search = search_record(kind, sent, internal_id)
    if search is not None:
        basic, criteria = search
        result = call(client, response_schema, "search",
                      searchRecord=build(zc, basic, criteria)).searchResult
        assert result.status.isSuccess is True, result.status
        assert [r.internalId for r in result.recordList.record] == [internal_id]
        assert type(result.recordList.record[0]).__name__ == kind.schema.name

    write = call(client, response_schema, "delete",
                 baseRef=client.ref(record_type, internal_id)).writeResponse
    assert write.status.isSuccess is True, write.status


def joins() -> dict[str, list[str]]:
    """Search type -> the joins it declares whose joined record type is served."""
    found = {}
    for name in sorted({fam.name for k in RECORD_TYPES.values() if (fam := family_of_kind(k))}):
        search = next(t for q, t in registry.types.items() if q.endswith(f":{name}Search"))
        found[search.qname] = [f.name for f in search.fields if f.name.endswith("Join")
                               and (target := family(f.type_ref)) and target.record_types]
    return found


JOINS = joins()
LIMITATION = re.compile(r"netsuite-mock cannot search on the \w+ of \w+ searches yet\.")


@pytest.mark.parametrize("search_type", sorted(JOINS))
def test_every_served_join_is_answered_or_named_as_a_limitation(ns_module, search_type):
    """An advanced search through each join to a served record answers with a status (nothing
    matches: the join names a record that does not exist), or with the fault that says the
    mock cannot evaluate that join yet: never another fault."""
    basic = registry.complex(search_type).field("basic")
    for join in JOINS[search_type]:
        criteria = {join: {"internalId": {"operator": "anyOf",
                                          "searchValue": [{"internalId": "999999"}]}}}
        if basic is not None and family(basic.type_ref).schema.field("recType"):
            criteria["basic"] = {"recType": {"internalId": "1"}}
        advanced = build(ns_module.client, search_type + "Advanced", {"criteria": criteria})
        try:
            result = ns_module.call("search", searchRecord=advanced).body.searchResult
        except Fault as fault:
            assert LIMITATION.fullmatch(fault.message), (join, fault.message)
            continue
        assert result.status.isSuccess is True, (join, result.status)
        assert result.totalRecords == 0, join


def test_a_join_named_after_a_record_type_follows_the_one_reference_either_way(ns_module):
    """A vendor-subsidiary relationship's ``vendorJoin`` reads its ``entity`` (its one field
    that may name a vendor); a folder's ``fileJoin`` finds the files whose ``folder`` it is."""
    def added(qname: str, fields: dict) -> str:
        write = ns_module.call("add", record=build(ns_module.client, qname, fields)
                               ).body.writeResponse
        assert write.status.isSuccess is True, write.status
        return write.baseRef.internalId

    def found(search_type: str, join: str, internal_id: str) -> list[str]:
        advanced = build(ns_module.client, search_type + "Advanced", {"criteria": {join: {
            "internalId": {"operator": "anyOf", "searchValue": [{"internalId": internal_id}]}}}})
        result = ns_module.call("search", searchRecord=advanced).body.searchResult
        assert result.status.isSuccess is True, result.status
        return [r.internalId for r in (result.recordList.record if result.recordList else [])]

    relationship = added("listRel:VendorSubsidiaryRelationship",
                         {"entity": {"internalId": "101"}, "subsidiary": {"internalId": "2"}})
    search = "listRel:VendorSubsidiaryRelationshipSearch"
    assert relationship in found(search, "vendorJoin", "101")
    assert relationship not in found(search, "vendorJoin", "102")
    folder = added("docFileCab:Folder", {"name": "Join folder"})
    file = added("docFileCab:File", {"name": "join.txt", "folder": {"internalId": folder},
                                     "content": b"x"})
    assert found("docFileCab:FolderSearch", "fileJoin", file) == [folder]
    assert found("docFileCab:FolderSearch", "fileJoin", "999999") == []
