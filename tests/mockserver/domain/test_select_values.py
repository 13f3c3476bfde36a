"""getSelectValue over HTTP with zeep: the records a select field (of a record or of its sublist)
may point at, active ones only, by name, filtered and paged; record errors for fields that are
not select fields."""

from __future__ import annotations

import pytest

from mockserver.admin_client import MockAdmin
from mockserver.domain.records import kind_of, record_name
from tests.conftest import checked_call

pytestmark = pytest.mark.server


def select_values(ns, schema, record_type, field, *, sublist=None, page=1, **filter_by):
    description = ns.type("ns0:GetSelectValueFieldDescription")(
        recordType=record_type, sublist=sublist, field=field,
        filter=ns.type("ns0:GetSelectValueFilter")(**filter_by) if filter_by else None)
    return checked_call(ns, schema, "getSelectValue", fieldDescription=description,
                        pageIndex=page).getSelectValueResult


def names(result) -> list[str]:
    return [ref.name for ref in result.baseRefList.baseRef] if result.baseRefList else []


def active_names(ns, *record_types) -> list[str]:
    admin = MockAdmin(ns.server.url)
    found = [record_name(kind_of(t), r) or r["internalId"] for t in record_types
             for r in admin.records(t) if not r.get("isInactive")]
    return sorted(found, key=str.lower)


def test_a_body_field_offers_every_active_record_it_may_refer_to(ns, response_schema):
    result = select_values(ns, response_schema, "vendorBill", "terms")
    assert result.status.isSuccess and result.totalPages == 1
    assert names(result) == active_names(ns, "term") and result.totalRecords == len(names(result))
    vendors = select_values(ns, response_schema, "purchaseOrder", "entity")
    inactive = [r for r in MockAdmin(ns.server.url).records("vendor") if r.get("isInactive")]
    assert inactive and not {r["internalId"] for r in inactive} & {
        ref.internalId for ref in vendors.baseRefList.baseRef}


def test_a_sublist_field_and_a_filter_by_name(ns, response_schema):
    items = select_values(ns, response_schema, "vendorBill", "item", sublist="itemList")
    assert "WIDGET-001" in names(items) and len(names(items)) > 5
    assert names(select_values(ns, response_schema, "vendorBill", "item", sublist="itemList",
                               filterValue="widget", operator="startsWith")) == [
        n for n in names(items) if n.lower().startswith("widget")]
    assert names(select_values(ns, response_schema, "vendorBill", "item", sublist="itemList",
                               filterValue="nothing like it", operator="contains")) == []


@pytest.mark.parametrize("field, sublist, code", [
    ("spaceship", None, "INVALID_FLD"), ("memo", None, "INVALID_FLD_TYP"),
    ("item", "noSuchList", "INVALID_FLD")])
def test_fields_that_are_not_select_fields_are_refused(ns, response_schema, field, sublist,
                                                        code):
    result = select_values(ns, response_schema, "vendorBill", field, sublist=sublist)
    assert not result.status.isSuccess
    assert result.status.statusDetail[0].code == code


def test_a_page_beyond_the_last_is_refused(ns, response_schema):
    result = select_values(ns, response_schema, "vendorBill", "terms", page=2)
    assert result.status.statusDetail[0].code == "INVALID_SEARCH_PAGE_INDEX"
