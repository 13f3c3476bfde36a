"""search, searchMoreWithId and getDeleted over HTTP with zeep, on the test seed
(tests/data/search_seed.json: the demo account's lists plus an accounts-payable flow), with the
mock's clock at 2024-03-15 12:00 Pacific. Responses are validated against NetSuite's XSDs
(when they are at hand: ``response_schema``)."""

from __future__ import annotations

import pytest
from lxml import etree

from mockserver.admin_client import MockAdmin
from tests.conftest import (CORE, SoapClient, assert_valid_response, envelope, passport_xml,
                            post_soap)
from tests.search_helpers import (clock, error, field, ids, more, prefs, records, refs, reset,
                                  search, tran_ids, zeep_type)

ACTIVE_VENDORS = [str(i) for i in range(101, 112)]


@pytest.fixture
def sns(mock_server, zeep_client):
    reset(mock_server)
    yield SoapClient(zeep_client, mock_server)
    clock(mock_server, reset=True)


def valid(sns, response_schema):
    valid_content(response_schema, sns.last_response)


def valid_content(schema, content: bytes) -> None:
    """Validated against NetSuite's XSDs when they are at hand (``response_schema``)."""
    if schema is not None:
        assert_valid_response(schema, content)


# -- the reference import configurations ------------------------------------------------------
def test_active_inventory_items_as_the_import_asks(sns, response_schema):
    result = search(sns, "ItemSearchBasic",
                    dict(pageSize=100, bodyFieldsOnly=False, returnSearchColumns=False),
                    type=field(sns, "EnumMultiSelect", "_inventoryItem", operator="anyOf"),
                    isInactive=field(sns, "Boolean", False))
    assert result.status.isSuccess is True
    assert (result.totalRecords, result.pageSize, result.totalPages, result.pageIndex) == \
        (1, 100, 1, 1)
    assert [r.itemId for r in records(result)] == ["WIDGET-001"]
    assert type(records(result)[0]).__name__ == "InventoryItem"
    valid(sns, response_schema)


@pytest.mark.parametrize("tran_type, expected", [
    ("_vendorBill", ["BILL-2"]), ("_purchaseOrder", ["PO-1002"]), ("_itemReceipt", [])])
def test_transactions_modified_on_or_after_a_date(sns, response_schema, tran_type, expected):
    clock(sns.server, advance=86400)
    since = sns.server.backend.clock.now()
    for type_name, internal_id in (("VendorBill", "1005"), ("PurchaseOrder", "1002")):
        record = zeep_type(sns, type_name)(internalId=internal_id, memo="touched")
        assert sns.call("update", record=record).body.writeResponse.status.isSuccess
    result = search(sns, "TransactionSearchBasic", dict(pageSize=100, bodyFieldsOnly=False),
                    type=field(sns, "EnumMultiSelect", tran_type, operator="anyOf"),
                    lastModifiedDate=field(sns, "Date", since, operator="onOrAfter"))
    assert tran_ids(result) == expected
    valid(sns, response_schema)
    everything = search(sns, "TransactionSearchBasic",
                        type=field(sns, "EnumMultiSelect", tran_type, operator="anyOf"))
    assert everything.totalRecords > result.totalRecords


def test_active_vendors_modified_since_a_date(sns, response_schema):
    clock(sns.server, advance=3600)
    since = sns.server.backend.clock.now()
    vendor = zeep_type(sns, "Vendor")(internalId="105", phone="555-9999")
    sns.call("update", record=vendor)
    result = search(sns, "VendorSearchBasic", isInactive=field(sns, "Boolean", False),
                    lastModifiedDate=field(sns, "Date", since, operator="onOrAfter"))
    assert ids(result) == ["105"]
    valid(sns, response_schema)
    all_active = search(sns, "VendorSearchBasic", isInactive=field(sns, "Boolean", False))
    assert ids(all_active) == ACTIVE_VENDORS


def test_one_purchase_order_by_tran_id(sns, response_schema):
    result = search(sns, "TransactionSearchBasic",
                    type=field(sns, "EnumMultiSelect", "_purchaseOrder", operator="anyOf"),
                    tranId=field(sns, "String", "PO-1001", operator="is"))
    assert tran_ids(result) == ["PO-1001"]
    po = records(result)[0]
    assert po.itemList is None  # bodyFieldsOnly defaults to true: no sublists
    valid(sns, response_schema)


def test_locations_and_active_subsidiaries(sns, response_schema):
    locations = search(sns, "LocationSearchBasic")
    assert [r.name for r in records(locations)] == ["Main Warehouse", "Hamburg Depot"]
    valid(sns, response_schema)
    subsidiaries = search(sns, "SubsidiarySearchBasic", isInactive=field(sns, "Boolean", False))
    assert ids(subsidiaries) == ["1", "2", "3"]


def test_purchase_orders_with_their_receipts_as_advanced_rows(sns, response_schema):
    basic = zeep_type(sns, "TransactionSearchBasic")(
        type=field(sns, "EnumMultiSelect", "_purchaseOrder", operator="anyOf"),
        mainLine=field(sns, "Boolean", True))
    column = zeep_type(sns, "SearchColumnStringField")
    select = zeep_type(sns, "SearchColumnSelectField")
    date = zeep_type(sns, "SearchColumnDateField")
    row_basic = zeep_type(sns, "TransactionSearchRowBasic")
    columns = zeep_type(sns, "TransactionSearchRow")(
        basic=row_basic(tranId=[column(customLabel="PO number")], tranDate=[date()],
                        internalId=[select()], externalId=[select()],
                        lastModifiedDate=[date()]),
        applyingTransactionJoin=row_basic(tranId=[column()], internalId=[select()]))
    advanced = zeep_type(sns, "TransactionSearchAdvanced")(
        criteria=zeep_type(sns, "TransactionSearch")(basic=basic), columns=columns)
    result = sns.call("search", searchRecord=advanced,
                      headers=prefs(sns, pageSize=100, returnSearchColumns=True)
                      ).body.searchResult
    valid(sns, response_schema)
    rows = result.searchRowList.searchRow
    assert result.totalRecords == len(rows) == 3
    seen = [(r.basic.tranId[0].searchValue,
             r.applyingTransactionJoin.tranId[0].searchValue if r.applyingTransactionJoin
             else None) for r in rows]
    assert seen == [("PO-1001", "IR-1"), ("PO-1001", "BILL-1"), ("PO-1002", None)]
    first = rows[0].basic
    assert first.tranId[0].customLabel == "PO number"
    assert first.internalId[0].searchValue.internalId == "1001"
    assert first.tranDate[0].searchValue.date().isoformat() == "2024-03-01"
    assert rows[0].applyingTransactionJoin.internalId[0].searchValue.internalId == "1003"
    assert first.externalId[0].searchValue.externalId == "PO-EXT-1"


# -- operators -----------------------------------------------------------------------------------
@pytest.mark.parametrize("operator, value, expected", [
    ("is", "acme supplies inc.", ["101"]),                 # case-insensitive
    ("isNot", "Acme Supplies Inc.", [i for i in ACTIVE_VENDORS if i != "101"] + ["112"]),
    ("contains", "freight", ["106", "111"]),
    ("doesNotContain", "inc", [i for i in ACTIVE_VENDORS if i != "101"] + ["112"]),
    ("startsWith", "W", ["106", "108"]),
    ("doesNotStartWith", "W", [i for i in ACTIVE_VENDORS if i not in ("106", "108")] + ["112"]),
    ("hasKeywords", "freight co", ["106"]),
    ("hasKeywords", "thames", ["111"]),
])
def test_string_operators(sns, operator, value, expected):
    result = search(sns, "VendorSearchBasic",
                    entityId=field(sns, "String", value, operator=operator))
    assert ids(result) == expected


def test_string_empty_and_not_empty(sns):
    assert ids(search(sns, "VendorSearchBasic", fax=field(sns, "String", operator="empty"))) == \
        ACTIVE_VENDORS + ["112"]
    assert ids(search(sns, "VendorSearchBasic", fax=field(sns, "String", operator="notEmpty"))) \
        == []
    assert tran_ids(search(sns, "TransactionSearchBasic",
                           memo=field(sns, "String", operator="empty"),
                           mainLine=field(sns, "Boolean", True))) == ["IR-1", "bill-3 lower",
                                                                       "INV-1", "PAY-1"]


@pytest.mark.parametrize("operator, low, high, expected", [
    ("equalTo", 105, None, ["105"]),
    ("notEqualTo", 105, None, [i for i in ACTIVE_VENDORS if i != "105"] + ["112"]),
    ("greaterThan", 110, None, ["111", "112"]),
    ("greaterThanOrEqualTo", 110, None, ["110", "111", "112"]),
    ("lessThan", 102, None, ["101"]),
    ("lessThanOrEqualTo", 102, None, ["101", "102"]),
    ("notGreaterThan", 102, None, ["101", "102"]),
    ("notLessThan", 111, None, ["111", "112"]),
    ("notGreaterThanOrEqualTo", 102, None, ["101"]),
    ("notLessThanOrEqualTo", 111, None, ["112"]),
    ("between", 103, 105, ["103", "104", "105"]),
    ("notBetween", 102, 111, ["101", "112"]),
])
def test_long_operators(sns, operator, low, high, expected):
    number = field(sns, "Long", low, operator=operator, searchValue2=high)
    assert ids(search(sns, "VendorSearchBasic", internalIdNumber=number)) == expected


def test_double_and_text_number_operators(sns):
    def bills(**criteria):
        return tran_ids(search(sns, "TransactionSearchBasic", mainLine=field(sns, "Boolean", True),
                               type=field(sns, "EnumMultiSelect", "_vendorBill",
                                          operator="anyOf"), **criteria))
    # main-line amounts: BILL-1 90 (50 + 40 freight), BILL-2 12.5, bill-3 10
    assert bills(amount=field(sns, "Double", 90.0, operator="equalTo")) == ["BILL-1"]
    assert bills(amount=field(sns, "Double", 10.0, operator="between", searchValue2=20.0)) == \
        ["BILL-2", "bill-3 lower"]
    assert bills(amount=field(sns, "Double", operator="empty")) == []
    refs_ = tran_ids(search(sns, "TransactionSearchBasic",
                            otherRefNum=field(sns, "TextNumber", "1000", operator="greaterThan")))
    assert refs_ == ["PO-1002"]


def test_line_fields_and_main_line(sns):
    # Without mainLine a transaction matches when any of its lines does.
    by_item = search(sns, "TransactionSearchBasic",
                     item=field(sns, "MultiSelect", *refs(sns, "201"), operator="anyOf"))
    assert tran_ids(by_item) == ["PO-1001", "IR-1", "BILL-1"]
    on_main_line = search(sns, "TransactionSearchBasic", mainLine=field(sns, "Boolean", True),
                          item=field(sns, "MultiSelect", *refs(sns, "201"), operator="anyOf"))
    assert on_main_line.totalRecords == 0
    freight = search(sns, "TransactionSearchBasic",
                     memo=field(sns, "String", "freight", operator="is"))
    assert tran_ids(freight) == ["BILL-1"]


@pytest.mark.parametrize("operator, value, value2, expected", [
    ("on", "2024-03-10T15:00:00-07:00", None, ["BILL-1"]),   # the whole Pacific day
    ("notOn", "2024-03-10T00:00:00-08:00", None, ["BILL-2", "bill-3 lower"]),
    ("before", "2024-03-10T00:00:00-08:00", None, ["BILL-2"]),
    ("onOrBefore", "2024-03-10T00:00:00-08:00", None, ["BILL-1", "BILL-2"]),
    ("after", "2024-03-10T00:00:00-08:00", None, ["bill-3 lower"]),
    ("onOrAfter", "2024-03-10T00:00:00-08:00", None, ["BILL-1", "bill-3 lower"]),
    ("notBefore", "2024-03-10T00:00:00-08:00", None, ["BILL-1", "bill-3 lower"]),
    ("notAfter", "2024-03-10T00:00:00-08:00", None, ["BILL-1", "BILL-2"]),
    ("notOnOrAfter", "2024-03-10T00:00:00-08:00", None, ["BILL-2"]),
    ("notOnOrBefore", "2024-03-10T00:00:00-08:00", None, ["bill-3 lower"]),
    ("within", "2024-02-01T00:00:00-08:00", "2024-03-10T00:00:00-08:00", ["BILL-1", "BILL-2"]),
    ("notWithin", "2024-02-01T00:00:00-08:00", "2024-03-09T00:00:00-08:00",
     ["BILL-1", "bill-3 lower"]),
])
def test_date_operators(sns, operator, value, value2, expected):
    from mockserver.domain.values import parse_datetime
    date = field(sns, "Date", parse_datetime(value), operator=operator,
                 searchValue2=parse_datetime(value2) if value2 else None)
    result = search(sns, "TransactionSearchBasic", tranDate=date,
                    type=field(sns, "EnumMultiSelect", "_vendorBill", operator="anyOf"))
    assert tran_ids(result) == expected


@pytest.mark.parametrize("predefined, operator, expected", [
    ("today", "on", ["bill-3 lower"]),
    ("yesterday", "on", []),
    ("thisMonth", "within", ["BILL-1", "bill-3 lower"]),
    ("lastMonth", "within", ["BILL-2"]),
    ("lastMonth", "after", ["BILL-1", "bill-3 lower"]),
    ("thisMonth", "before", ["BILL-2"]),
    ("tenDaysAgo", "onOrAfter", ["BILL-1", "bill-3 lower"]),
    ("thisWeek", "notWithin", ["BILL-2"]),
])
def test_relative_dates_follow_the_mock_clock(sns, predefined, operator, expected):
    date = field(sns, "Date", operator=operator, predefinedSearchValue=predefined)
    result = search(sns, "TransactionSearchBasic", tranDate=date,
                    type=field(sns, "EnumMultiSelect", "_vendorBill", operator="anyOf"))
    assert tran_ids(result) == expected


def test_relative_dates_move_with_the_clock(sns):
    def modified_today():
        return search(sns, "VendorSearchBasic", lastModifiedDate=field(
            sns, "Date", operator="on", predefinedSearchValue="today")).totalRecords
    assert modified_today() == 12
    clock(sns.server, advance=86400)
    assert modified_today() == 0
    yesterday = search(sns, "VendorSearchBasic", lastModifiedDate=field(
        sns, "Date", operator="on", predefinedSearchValue="yesterday"))
    assert yesterday.totalRecords == 12


def test_boolean_and_empty_search(sns, response_schema):
    inactive = search(sns, "VendorSearchBasic", isInactive=field(sns, "Boolean", True))
    assert ids(inactive) == ["112"]
    everything = search(sns, "VendorSearchBasic")
    assert ids(everything) == ACTIVE_VENDORS + ["112"]
    valid(sns, response_schema)
    all_transactions = search(sns, "TransactionSearchBasic")
    assert ids(all_transactions) == [str(i) for i in range(1001, 1009)]
    assert {type(r).__name__ for r in records(all_transactions)} == {
        "PurchaseOrder", "ItemReceipt", "VendorBill", "Invoice", "VendorPayment"}


def test_multi_select_operators(sns):
    def by_entity(*values, operator="anyOf", external=False):
        return tran_ids(search(sns, "TransactionSearchBasic", entity=field(
            sns, "MultiSelect", *refs(sns, *values, external=external), operator=operator)))
    assert by_entity("101") == ["PO-1001", "IR-1", "BILL-1", "PAY-1"]
    assert by_entity("101", "102") == ["PO-1001", "PO-1002", "IR-1", "BILL-1", "PAY-1"]
    assert by_entity("V-ACME", external=True) == ["PO-1001", "IR-1", "BILL-1", "PAY-1"]
    assert by_entity("101", "150", operator="noneOf") == ["PO-1002", "BILL-2", "bill-3 lower"]
    assert by_entity("@NONE@") == []
    assert ids(search(sns, "VendorSearchBasic", internalId=field(
        sns, "MultiSelect", *refs(sns, "103", "101", "999"), operator="anyOf"))) == ["101", "103"]
    assert ids(search(sns, "VendorSearchBasic", externalId=field(
        sns, "MultiSelect", *refs(sns, "V-STARK", external=True), operator="anyOf"))) == ["105"]
    subsidiary_2 = search(sns, "VendorSearchBasic", subsidiary=field(
        sns, "MultiSelect", *refs(sns, "2"), operator="anyOf"))
    assert ids(subsidiary_2) == ["109", "110"]


def test_a_thousand_values_at_most(sns, response_schema):
    many = [str(i) for i in range(1, 1001)]
    ok = search(sns, "VendorSearchBasic", internalId=field(
        sns, "MultiSelect", *refs(sns, *many), operator="anyOf"))
    assert ok.totalRecords == 12
    too_many = search(sns, "VendorSearchBasic", internalId=field(
        sns, "MultiSelect", *refs(sns, *many, "1001"), operator="anyOf"))
    assert error(too_many) == ("MAX_VALUES_EXCEEDED",
                               "Too many values specified for a MultiSelectField, the maximum "
                               "is 1000")
    valid(sns, response_schema)


def test_enum_multi_select_operators(sns):
    def by_type(*values, operator="anyOf"):
        return tran_ids(search(sns, "TransactionSearchBasic", type=field(
            sns, "EnumMultiSelect", *values, operator=operator)))
    assert by_type("_vendorBill", "_purchaseOrder") == ["PO-1001", "PO-1002", "BILL-1", "BILL-2",
                                                        "bill-3 lower"]
    assert by_type("_vendorBill", "_purchaseOrder", "_itemReceipt", operator="noneOf") == \
        ["INV-1", "PAY-1"]
    assert by_type("_salesOrder") == []   # a valid type the account has none of
    accounts = search(sns, "AccountSearchBasic",
                      type=field(sns, "EnumMultiSelect", "_bank", operator="anyOf"))
    assert [r.acctName for r in records(accounts)] == ["Operating Bank"]


def test_an_invalid_enum_value_gives_no_records_and_a_warning(sns, response_schema):
    result = search(sns, "TransactionSearchBasic",
                    type=field(sns, "EnumMultiSelect", "vendorBill", operator="anyOf"))
    valid(sns, response_schema)
    assert result.status.isSuccess is True
    detail = result.status.statusDetail[0]
    assert (detail.type, detail.code) == ("WARN", "WARNING")
    assert detail.message == "The field type's enum value <vendorBill> is invalid for this search."
    assert (result.totalRecords, result.totalPages, result.pageSize) == (0, 0, None)
    assert result.searchId
    again = more(sns, result.searchId, 1)   # page 1 again, as for any empty search
    assert (again.status.statusDetail[0].message, again.totalRecords) == (detail.message, 0)
    assert error(more(sns, result.searchId, 2))[0] == "INVALID_SEARCH_PAGE_INDEX"
    # a relative date NetSuite does not have is an invalid enum value too
    relative = search(sns, "TransactionSearchBasic", tranDate=field(
        sns, "Date", operator="within", predefinedSearchValue="lastFortnightOrSo"))
    valid(sns, response_schema)
    assert (relative.status.isSuccess, relative.totalRecords) == (True, 0)
    assert relative.status.statusDetail[0].message == (
        "The field tranDate's enum value <lastFortnightOrSo> is invalid for this search.")


def test_bad_criteria_are_refused(sns, response_schema):
    no_operator = search(sns, "VendorSearchBasic", entityId=field(sns, "String", "Acme"))
    assert error(no_operator)[0] == "INVALID_SEARCH_OPERATOR"
    valid(sns, response_schema)
    no_value = search(sns, "VendorSearchBasic",
                      entityId=field(sns, "String", operator="contains"))
    assert error(no_value) == ("INVALID_SEARCH_VALUE", "You need to provide a search value.")
    no_second = search(sns, "VendorSearchBasic",
                       internalIdNumber=field(sns, "Long", 1, operator="between"))
    assert error(no_second)[0] == "INVALID_SEARCH_VALUE"


# -- families and joins --------------------------------------------------------------------------
@pytest.mark.parametrize("search_type, expected", [
    ("CustomerSearchBasic", ["150", "151"]), ("EmployeeSearchBasic", ["170"]),
    ("ItemSearchBasic", ["201", "202", "203"]), ("DepartmentSearchBasic", ["1", "2"]),
    ("ClassificationSearchBasic", ["1", "2"]), ("TermSearchBasic", ["1", "2"]),
    ("AccountSearchBasic", [str(i) for i in range(54, 62)]),
    ("ContactSearchBasic", []), ("FolderSearchBasic", []),
])
def test_every_family_searches_its_records(sns, response_schema, search_type, expected):
    result = search(sns, search_type)
    assert ids(result) == expected
    valid(sns, response_schema)


def test_item_types(sns):
    def by_type(value):
        return ids(search(sns, "ItemSearchBasic",
                          type=field(sns, "EnumMultiSelect", value, operator="anyOf")))
    assert by_type("_nonInventoryItem") == ["202"]
    assert by_type("_service") == ["203"]


def test_joins(sns, response_schema):
    def joined(**joins):
        wrapper = zeep_type(sns, "TransactionSearch")(**joins)
        return tran_ids(sns.call("search", searchRecord=wrapper).body.searchResult)
    assert joined(vendorJoin=zeep_type(sns, "VendorSearchBasic")(
        entityId=field(sns, "String", "acme", operator="startsWith"))) == \
        ["PO-1001", "IR-1", "BILL-1", "PAY-1"]
    valid(sns, response_schema)
    assert joined(itemJoin=zeep_type(sns, "ItemSearchBasic")(
        itemId=field(sns, "String", "WIDGET-001", operator="is"))) == ["PO-1001", "IR-1", "BILL-1"]
    assert joined(createdFromJoin=zeep_type(sns, "TransactionSearchBasic")(
        tranId=field(sns, "String", "PO-1001", operator="is"))) == ["IR-1"]
    assert joined(applyingTransactionJoin=zeep_type(sns, "TransactionSearchBasic")(
        type=field(sns, "EnumMultiSelect", "_vendorPayment", operator="anyOf"))) == ["BILL-1"]
    assert joined(
        basic=zeep_type(sns, "TransactionSearchBasic")(
            type=field(sns, "EnumMultiSelect", "_purchaseOrder", operator="anyOf")),
        applyingTransactionJoin=zeep_type(sns, "TransactionSearchBasic")(
            type=field(sns, "EnumMultiSelect", "_vendorBill", operator="anyOf"))) == ["PO-1001"]
    vendors = zeep_type(sns, "VendorSearch")(transactionJoin=zeep_type(
        sns, "TransactionSearchBasic")(type=field(sns, "EnumMultiSelect", "_vendorBill",
                                                  operator="anyOf")))
    assert ids(sns.call("search", searchRecord=vendors).body.searchResult) == ["101", "103",
                                                                               "109"]


def test_advanced_rows_one_per_line_unless_main_line(sns, response_schema):
    def rows(**criteria):
        columns = zeep_type(sns, "TransactionSearchRow")(
            basic=zeep_type(sns, "TransactionSearchRowBasic")(
                tranId=[zeep_type(sns, "SearchColumnStringField")()],
                amount=[zeep_type(sns, "SearchColumnDoubleField")()],
                item=[zeep_type(sns, "SearchColumnSelectField")()],
                mainLine=[zeep_type(sns, "SearchColumnBooleanField")()]),
            vendorJoin=zeep_type(sns, "VendorSearchRowBasic")(
                entityId=[zeep_type(sns, "SearchColumnStringField")()]))
        advanced = zeep_type(sns, "TransactionSearchAdvanced")(
            criteria=zeep_type(sns, "TransactionSearch")(
                basic=zeep_type(sns, "TransactionSearchBasic")(
                    type=field(sns, "EnumMultiSelect", "_vendorBill", operator="anyOf"),
                    **criteria)),
            columns=columns)
        result = sns.call("search", searchRecord=advanced).body.searchResult
        valid(sns, response_schema)
        return [(r.basic.tranId[0].searchValue, r.basic.mainLine[0].searchValue,
                 r.basic.amount[0].searchValue if r.basic.amount else None,
                 r.basic.item[0].searchValue.internalId if r.basic.item else None,
                 r.vendorJoin.entityId[0].searchValue) for r in result.searchRowList.searchRow]
    assert rows() == [
        ("BILL-1", True, 90.0, None, "Acme Supplies Inc."),
        ("BILL-1", False, 50.0, "201", "Acme Supplies Inc."),
        ("BILL-1", False, 40.0, None, "Acme Supplies Inc."),
        ("BILL-2", True, 12.5, None, "Initech LLC"),
        ("BILL-2", False, 12.5, None, "Initech LLC"),
        ("bill-3 lower", True, 10.0, None, "Müller Maschinenbau GmbH"),
        ("bill-3 lower", False, 10.0, "202", "Müller Maschinenbau GmbH")]
    assert [r[0] for r in rows(mainLine=field(sns, "Boolean", True))] == \
        ["BILL-1", "BILL-2", "bill-3 lower"]
    assert len(rows(mainLine=field(sns, "Boolean", False))) == 4


def test_advanced_search_without_columns_returns_records(sns):
    advanced = zeep_type(sns, "VendorSearchAdvanced")(criteria=zeep_type(sns, "VendorSearch")(
        basic=zeep_type(sns, "VendorSearchBasic")(isInactive=field(sns, "Boolean", True))))
    result = sns.call("search", searchRecord=advanced).body.searchResult
    assert ids(result) == ["112"] and result.searchRowList is None


# -- preferences ---------------------------------------------------------------------------------
@pytest.mark.parametrize("size, ok", [(4, False), (5, True), (1000, True), (1001, False),
                                      (0, False)])
def test_page_size_limits(sns, response_schema, size, ok):
    result = search(sns, "VendorSearchBasic", dict(pageSize=size))
    if ok:
        assert result.pageSize == size and result.totalRecords == 12
    else:
        assert error(result) == ("INVALID_SEARCH_PAGE_SIZE", "Invalid search page size.")
        valid(sns, response_schema)


def test_default_page_size_and_body_fields(sns):
    plain = search(sns, "VendorSearchBasic")
    assert plain.pageSize == 1000
    assert records(plain)[0].addressbookList is None
    full = search(sns, "VendorSearchBasic", dict(bodyFieldsOnly=False))
    assert full.pageSize == 1000
    assert records(full)[0].addressbookList.addressbook


def test_return_search_columns_rules(sns, response_schema):
    criteria = zeep_type(sns, "TransactionSearch")(basic=zeep_type(sns, "TransactionSearchBasic")(
        mainLine=field(sns, "Boolean", True)))
    columns = zeep_type(sns, "TransactionSearchRow")(basic=zeep_type(
        sns, "TransactionSearchRowBasic")(tranId=[zeep_type(sns, "SearchColumnStringField")()]))
    with_columns = zeep_type(sns, "TransactionSearchAdvanced")(criteria=criteria, columns=columns)
    refused = sns.call("search", searchRecord=with_columns,
                       headers=prefs(sns, returnSearchColumns=False)).body.searchResult
    assert error(refused) == ("INVALID_SEARCH_PREF", "You cannot set returnSearchColumns to "
                              "false while you specify search columns.")
    valid(sns, response_schema)
    without = zeep_type(sns, "TransactionSearchAdvanced")(criteria=criteria)
    refused = sns.call("search", searchRecord=without,
                       headers=prefs(sns, returnSearchColumns=True)).body.searchResult
    assert error(refused)[0] == "INVALID_SEARCH_PREF"
    records_ = sns.call("search", searchRecord=without,
                        headers=prefs(sns, returnSearchColumns=False)).body.searchResult
    assert records_.totalRecords == 8
    basic_ignores = search(sns, "VendorSearchBasic", dict(returnSearchColumns=True))
    assert basic_ignores.totalRecords == 12


# -- paging --------------------------------------------------------------------------------------
def test_paging_with_search_more_with_id(sns, response_schema):
    first = search(sns, "VendorSearchBasic", dict(pageSize=5))
    assert (first.totalRecords, first.pageSize, first.totalPages, first.pageIndex) == (12, 5, 3, 1)
    # any page, in any order, keeps the original page size (no preferences sent)
    third = more(sns, first.searchId, 3)
    valid(sns, response_schema)
    assert (third.pageIndex, third.pageSize, third.searchId) == (3, 5, first.searchId)
    assert ids(third) == ["111", "112"]
    again = more(sns, first.searchId, 1)
    assert ids(again) == ids(first) == ACTIVE_VENDORS[:5]
    second = more(sns, first.searchId, 2, headers=prefs(sns, pageSize=50))
    assert ids(second) == ACTIVE_VENDORS[5:10] and second.pageSize == 5
    for page in (0, 4):
        assert error(more(sns, first.searchId, page)) == ("INVALID_SEARCH_PAGE_INDEX",
                                                          "Invalid search page index.")
    valid(sns, response_schema)


def test_search_id_is_the_response_nsid(sns):
    from lxml import etree
    result = search(sns, "LocationSearchBasic")
    root = etree.fromstring(sns.last_response)
    ns_id = root.findtext(".//{urn:messages_2024_1.platform.webservices.netsuite.com}nsId")
    assert result.searchId == ns_id


def test_pages_are_recomputed_so_changes_shift_them(sns):
    first = search(sns, "VendorSearchBasic", dict(pageSize=5))
    assert ids(first) == ACTIVE_VENDORS[:5]
    deleted = sns.call("delete", baseRef=sns.ref("vendor", "102")).body.writeResponse
    assert deleted.status.isSuccess
    second = more(sns, first.searchId, 2)
    assert second.totalRecords == 11
    assert ids(second) == ["107", "108", "109", "110", "111"]  # 106 moved up to page 1


def test_search_ids_expire_after_fifteen_unused_minutes(sns, response_schema):
    first = search(sns, "VendorSearchBasic", dict(pageSize=5))
    clock(sns.server, advance=14 * 60)
    assert more(sns, first.searchId, 2).status.isSuccess  # use restarts the 15 minutes
    clock(sns.server, advance=14 * 60)
    assert more(sns, first.searchId, 3).status.isSuccess
    clock(sns.server, advance=15 * 60 + 1)
    expired = more(sns, first.searchId, 1)
    assert error(expired) == ("INVALID_JOB_ID", "You have specified an invalid Job Id")
    valid(sns, response_schema)
    assert error(more(sns, "WEBSERVICES_NOT_A_SEARCH", 1))[0] == "INVALID_JOB_ID"


def test_an_empty_result(sns, response_schema):
    result = search(sns, "VendorSearchBasic",
                    entityId=field(sns, "String", "nobody", operator="is"))
    valid(sns, response_schema)
    assert (result.totalRecords, result.totalPages, result.pageSize, result.pageIndex) == \
        (0, 0, None, None)
    assert result.searchId
    assert b"recordList" in sns.last_response


# -- getDeleted ----------------------------------------------------------------------------------
def get_deleted(server, page: int, filter_xml: str = "", page_size: int | None = 5):
    """getDeleted as raw SOAP: zeep cannot send the searchPreferences header NetSuite honours
    for it (the WSDL binds only ``preferences`` to getDeleted)."""
    prefs_xml = (f"<m:searchPreferences><m:pageSize>{page_size}</m:pageSize>"
                 f"</m:searchPreferences>" if page_size else "")
    body = (f"<m:getDeleted><m:getDeletedFilter>{filter_xml}</m:getDeletedFilter>"
            f"<m:pageIndex>{page}</m:pageIndex></m:getDeleted>")
    response = post_soap(server, envelope(body, passport_xml(server.settings) + prefs_xml),
                         action="getDeleted")
    assert response.status_code == 200, response.text
    return response


@pytest.fixture
def wall_clock_ns(mock_server, zeep_client):
    """The test seed at real time (raw requests sign with the wall clock)."""
    reset(mock_server, at=None)
    yield SoapClient(zeep_client, mock_server)
    clock(mock_server, reset=True)


def test_get_deleted_with_filter_and_paging(wall_clock_ns, mock_server, response_schema):
    sns = wall_clock_ns
    deleted_at = {}
    for internal_id in ("101", "102", "103", "104", "105", "106"):
        clock(mock_server, advance=20)
        deleted_at[internal_id] = mock_server.backend.clock.now()
        response = sns.call("delete", baseRef=sns.ref("vendor", internal_id)).body.writeResponse
        assert response.status.isSuccess
    assert sns.call("delete", baseRef=sns.ref("location", "2")).body.writeResponse.status.isSuccess

    def listed(response) -> list[str]:
        root = etree.fromstring(response.content)
        return [r.get("internalId") for r in root.iter(f"{{{CORE}}}record")]

    def number(response, name: str) -> int:
        return int(etree.fromstring(response.content).findtext(f".//{{{CORE}}}{name}"))
    vendors = '<c:type operator="anyOf"><c:searchValue>vendor</c:searchValue></c:type>'
    first = get_deleted(mock_server, 1, vendors)
    valid_content(response_schema, first.content)
    assert [number(first, n) for n in ("totalRecords", "pageSize", "totalPages", "pageIndex")] \
        == [6, 5, 2, 1]
    assert listed(first) == ["101", "102", "103", "104", "105"]
    record = etree.fromstring(first.content).find(f".//{{{CORE}}}record")
    assert (record.get("type"), record.get("externalId"), record.findtext(f"{{{CORE}}}name")) \
        == ("vendor", "V-ACME", "Acme Supplies Inc.")
    assert listed(get_deleted(mock_server, 2, vendors)) == ["106"]
    since = deleted_at["105"].isoformat()
    recent = get_deleted(mock_server, 1, f'<c:deletedDate operator="onOrAfter"><c:searchValue>'
                                         f'{since}</c:searchValue></c:deletedDate>')
    assert listed(recent) == ["105", "106", "2"]
    everything = get_deleted(mock_server, 1, page_size=None)
    assert number(everything, "pageSize") == 1000 and listed(everything)[-1] == "2"
    out_of_range = get_deleted(mock_server, 3, vendors)
    assert b"INVALID_SEARCH_PAGE_INDEX" in out_of_range.content
    warned = get_deleted(mock_server, 1, '<c:type operator="anyOf"><c:searchValue>vendors'
                                         '</c:searchValue></c:type>')
    valid_content(response_schema, warned.content)
    assert b'type="WARN"' in warned.content and number(warned, "totalRecords") == 0
    no_filter = post_soap(mock_server, envelope("<m:getDeleted><m:pageIndex>1</m:pageIndex>"
                                                "</m:getDeleted>", passport_xml(
                                                    mock_server.settings)), action="getDeleted")
    valid_content(response_schema, no_filter.content)
    assert (b"<platformCore:code>DATA_REQD</platformCore:code><platformCore:message>You need to "
            b"provide a proper value for the required field: getDeletedFilter.") in no_filter.content


# -- transaction status ----------------------------------------------------------------------------
def status_value(record_type: str, text: str) -> str:
    """NetSuite's search value for a status text: "Pending Billing/Partially Received" on a
    purchase order is _purchaseOrderPendingBillingPartiallyReceived."""
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return "_" + record_type + "".join(w[0].upper() + w[1:] for w in words)


def statuses_as_read(sns) -> dict[tuple[str, str], str]:
    """(type, internalId) -> status search value of every order, bill and invoice, by get."""
    admin = MockAdmin(sns.server.url)
    found = {}
    for record_type in ("purchaseOrder", "vendorBill", "invoice"):
        for stored in admin.records(record_type):
            record = sns.call("get", baseRef=sns.ref(record_type, stored["internalId"])) \
                .body.readResponse.record
            found[(type(record).__name__, record.internalId)] = status_value(record_type,
                                                                             record.status)
    return found


def test_transactions_by_status_are_those_whose_records_show_it(sns, response_schema):
    read = statuses_as_read(sns)
    assert len(set(read.values())) >= 4
    for status in sorted(set(read.values())) + ["_vendorBillPendingApproval"]:
        result = search(sns, "TransactionSearchBasic", dict(pageSize=1000),
                        status=field(sns, "EnumMultiSelect", status, operator="anyOf"))
        valid(sns, response_schema)
        assert {(type(r).__name__, r.internalId) for r in records(result)} == {
            key for key, value in read.items() if value == status}, status
    not_open = search(sns, "TransactionSearchBasic", dict(pageSize=1000),
                      type=field(sns, "EnumMultiSelect", "_vendorBill", operator="anyOf"),
                      status=field(sns, "EnumMultiSelect", "_vendorBillOpen", operator="noneOf"))
    assert {(type(r).__name__, r.internalId) for r in records(not_open)} == {
        key for key, value in read.items() if key[0] == "VendorBill" and value != "_vendorBillOpen"}


def test_the_status_column_of_a_row_is_the_search_value(sns, response_schema):
    read = statuses_as_read(sns)
    advanced = zeep_type(sns, "TransactionSearchAdvanced")(
        criteria=zeep_type(sns, "TransactionSearch")(basic=zeep_type(
            sns, "TransactionSearchBasic")(mainLine=field(sns, "Boolean", True))),
        columns=zeep_type(sns, "TransactionSearchRow")(basic=zeep_type(
            sns, "TransactionSearchRowBasic")(
                internalId=[zeep_type(sns, "SearchColumnSelectField")()],
                recordType=[zeep_type(sns, "SearchColumnStringField")()],
                status=[zeep_type(sns, "SearchColumnEnumSelectField")()])))
    result = sns.call("search", searchRecord=advanced,
                      headers=prefs(sns, pageSize=1000)).body.searchResult
    valid(sns, response_schema)
    shown = {(r.basic.recordType[0].searchValue, r.basic.internalId[0].searchValue.internalId):
             r.basic.status[0].searchValue if r.basic.status else None
             for r in result.searchRowList.searchRow}
    by_type = {"PurchaseOrder": "purchaseOrder", "VendorBill": "vendorBill",
               "Invoice": "invoice"}
    assert {(by_type[t], i): v for (t, i), v in read.items()} == {
        key: value for key, value in shown.items() if value is not None}


def test_paying_a_bill_moves_it_from_open_to_paid_in_full(sns, response_schema):
    def open_bills():
        return set(ids(search(sns, "TransactionSearchBasic", dict(pageSize=1000), status=field(
            sns, "EnumMultiSelect", "_vendorBillOpen", operator="anyOf"))))
    before = open_bills()
    bill_id = sorted(before, key=int)[0]
    bill = sns.call("get", baseRef=sns.ref("vendorBill", bill_id)).body.readResponse.record
    payment = zeep_type(sns, "VendorPayment")(
        entity=bill.entity, account=sns.ref(internal_id="55"),
        applyList=zeep_type(sns, "VendorPaymentApplyList")(apply=[
            zeep_type(sns, "VendorPaymentApply")(doc=int(bill_id), apply=True,
                                                 amount=bill.userTotal)]))
    assert sns.call("add", record=payment).body.writeResponse.status.isSuccess
    assert open_bills() == before - {bill_id}
    paid = search(sns, "TransactionSearchBasic", dict(pageSize=1000), status=field(
        sns, "EnumMultiSelect", "_vendorBillPaidInFull", operator="anyOf"))
    assert bill_id in ids(paid)


# -- what the mock refuses rather than guesses ------------------------------------------------------
def test_what_the_mock_cannot_evaluate_is_a_clear_fault(sns):
    from zeep.exceptions import Fault
    with pytest.raises(Fault) as raised:
        search(sns, "TransactionSearchBasic", tranDate=field(
            sns, "Date", operator="within", predefinedSearchValue="lastRollingQuarter"))
    assert raised.value.message == ("netsuite-mock cannot search on the relative date "
                                    "lastRollingQuarter yet.")
    with pytest.raises(Fault) as raised:
        search(sns, "VendorSearchBasic", pec=field(sns, "String", "x", operator="is"))
    assert "the pec field of Vendor searches" in raised.value.message
    with pytest.raises(Fault) as raised:  # a status the mock does not work out
        search(sns, "TransactionSearchBasic", status=field(
            sns, "EnumMultiSelect", "_vendorBillOpen", "_vendorCreditOpen", operator="anyOf"))
    assert raised.value.message == ("netsuite-mock cannot search on the transaction status "
                                    "_vendorCreditOpen yet.")
    with pytest.raises(Fault) as raised:  # records the mock does not model: not "no match"
        search(sns, "AccountingTransactionSearchBasic")
    assert raised.value.message == ("netsuite-mock cannot search on AccountingTransaction "
                                    "records yet.")
    saved = zeep_type(sns, "TransactionSearchAdvanced")(savedSearchId="42")
    result = sns.call("search", searchRecord=saved).body.searchResult
    assert error(result)[0] == "INVALID_SAVED_SRCH"


def test_relative_date_ranges():
    from datetime import datetime, timezone
    from mockserver.domain.search.dates import predefined_range
    now = datetime(2024, 3, 15, 19, 0, tzinfo=timezone.utc)  # Friday noon, Pacific
    days = {name: tuple(d.date().isoformat() for d in predefined_range(name, now))
            for name in ("today", "yesterday", "thisWeek", "lastWeek", "thisMonth", "lastMonth",
                         "thisMonthToDate", "lastMonthToDate", "thisFiscalQuarter",
                         "lastFiscalYear", "startOfThisMonth", "tenDaysAgo",
                         "previousOneMonth", "nextBusinessWeek")}
    assert days == {
        "today": ("2024-03-15", "2024-03-16"), "yesterday": ("2024-03-14", "2024-03-15"),
        "thisWeek": ("2024-03-10", "2024-03-17"), "lastWeek": ("2024-03-03", "2024-03-10"),
        "thisMonth": ("2024-03-01", "2024-04-01"), "lastMonth": ("2024-02-01", "2024-03-01"),
        "thisMonthToDate": ("2024-03-01", "2024-03-16"),
        "lastMonthToDate": ("2024-02-01", "2024-02-16"),
        "thisFiscalQuarter": ("2024-01-01", "2024-04-01"),
        "lastFiscalYear": ("2023-01-01", "2024-01-01"),
        "startOfThisMonth": ("2024-03-01", "2024-03-02"),
        "tenDaysAgo": ("2024-03-05", "2024-03-06"),
        "previousOneMonth": ("2024-02-15", "2024-03-15"),
        "nextBusinessWeek": ("2024-03-18", "2024-03-23")}
    late_evening = datetime(2024, 3, 16, 6, 30, tzinfo=timezone.utc)  # still the 15th in Pacific
    assert predefined_range("today", late_evening)[0].date().isoformat() == "2024-03-15"


def _searchable_families():
    from mockserver.domain.records import RECORD_TYPES
    from mockserver.domain.search.families import family_of_kind
    found = {}
    for kind in RECORD_TYPES.values():
        fam = family_of_kind(kind)
        if fam is not None:
            found[fam.name] = fam
    return sorted(found.values(), key=lambda f: f.name)


@pytest.mark.parametrize("fam", _searchable_families(), ids=lambda f: f.name)
def test_every_modelled_record_type_is_searchable(sns, response_schema, fam):
    """Each family answers its *SearchBasic, *Search and *SearchAdvanced with every record of
    its types (an empty search returns everything), in NetSuite's shape."""
    import requests
    counts = requests.get(sns.server.url + "/__admin/records", timeout=10).json()
    expected = sum(counts.get(t, 0) for t in fam.record_types)
    required = {"recType": sns.ref(internal_id="1")} if fam.name == "CustomRecord" else {}
    basic = search(sns, f"{fam.name}SearchBasic", **required)
    valid(sns, response_schema)
    assert basic.status.isSuccess and basic.totalRecords == expected
    wrapped = sns.call("search", searchRecord=zeep_type(sns, f"{fam.name}Search")(
        basic=zeep_type(sns, f"{fam.name}SearchBasic")(**required))).body.searchResult
    assert ids(wrapped) == ids(basic)
    advanced = sns.call("search", searchRecord=zeep_type(sns, f"{fam.name}SearchAdvanced")(
        criteria=zeep_type(sns, f"{fam.name}Search")(
            basic=zeep_type(sns, f"{fam.name}SearchBasic")(**required)),
        columns=zeep_type(sns, f"{fam.name}SearchRow")(basic=zeep_type(
            sns, f"{fam.name}SearchRowBasic")(**required, internalId=[zeep_type(
                sns, "SearchColumnSelectField")()])))).body.searchResult
    valid(sns, response_schema)
    rows = advanced.searchRowList.searchRow if advanced.searchRowList is not None else []
    assert {r.basic.internalId[0].searchValue.internalId for r in rows} == set(ids(basic))


def test_custom_records_by_record_type(sns, response_schema):
    def add(type_name, **fields):
        response = sns.call("add", record=zeep_type(sns, type_name)(**fields)).body.writeResponse
        assert response.status.isSuccess, response
        return response.baseRef.internalId
    type_a = add("CustomRecordType", recordName="Freight lanes", scriptId="customrecord_lane")
    type_b = add("CustomRecordType", recordName="Buyers", scriptId="customrecord_buyer")
    lane = add("CustomRecord", name="Oakland-Hamburg", recType=sns.ref(internal_id=type_a))
    add("CustomRecord", name="Ms Buyer", recType=sns.ref(internal_id=type_b))
    found = search(sns, "CustomRecordSearchBasic", recType=sns.ref(internal_id=type_a))
    assert ids(found) == [lane]
    valid(sns, response_schema)
    row_basic = zeep_type(sns, "CustomRecordSearchRowBasic")
    advanced = zeep_type(sns, "CustomRecordSearchAdvanced")(
        criteria=zeep_type(sns, "CustomRecordSearch")(basic=zeep_type(
            sns, "CustomRecordSearchBasic")(recType=sns.ref(internal_id=type_a))),
        columns=zeep_type(sns, "CustomRecordSearchRow")(basic=row_basic(
            recType=sns.ref(internal_id=type_a),
            name=[zeep_type(sns, "SearchColumnStringField")()])))
    rows = sns.call("search", searchRecord=advanced).body.searchResult.searchRowList.searchRow
    valid(sns, response_schema)
    assert [(r.basic.recType.internalId, r.basic.name[0].searchValue) for r in rows] == \
        [(type_a, "Oakland-Hamburg")]


def test_multi_selects_need_an_operator_too(sns):
    no_operator = search(sns, "TransactionSearchBasic",
                         type=field(sns, "EnumMultiSelect", "_vendorBill"))
    assert error(no_operator)[0] == "INVALID_SEARCH_OPERATOR"
    no_values = search(sns, "TransactionSearchBasic",
                       entity=field(sns, "MultiSelect", operator="anyOf"))
    assert error(no_values)[0] == "INVALID_SEARCH_VALUE"


# -- explicit xsi:types (valid per the XSD; some clients write one on every element) -------------
COMMON = "urn:common_2024_1.platform.webservices.netsuite.com"
NS_DECLS = f'xmlns:lc="{COMMON}" xmlns:r="urn:relationships_2024_1.lists.webservices.netsuite.com"'
ENTITY_ID_ACME = '<lc:entityId operator="contains"{xsi}><c:searchValue>Acme</c:searchValue></lc:entityId>'
EXPLICIT_TYPES = {
    "a search field": (
        f'<m:searchRecord xsi:type="lc:VendorSearchBasic" {NS_DECLS}>{{acme}}</m:searchRecord>',
        ' xsi:type="c:SearchStringField"'),
    "whitespace around the type, as XSD allows": (
        f'<m:searchRecord xsi:type=" lc:VendorSearchBasic&#10;" {NS_DECLS}>{{acme}}'
        f"</m:searchRecord>", ' xsi:type="  c:SearchStringField "'),
    "no prefix, the default namespace": (
        f'<m:searchRecord xsi:type="lc:VendorSearchBasic" {NS_DECLS}>{{acme}}</m:searchRecord>',
        f' xsi:type="SearchStringField" xmlns="{CORE}"'),
    "a VendorSearch and its basic": (
        f'<m:searchRecord xsi:type="r:VendorSearch" {NS_DECLS}>'
        f'<r:basic xsi:type="lc:VendorSearchBasic">{{acme}}</r:basic></m:searchRecord>',
        ' xsi:type="c:SearchStringField"'),
    "an advanced search and its columns": (
        f'<m:searchRecord xsi:type="r:VendorSearchAdvanced" {NS_DECLS}>'
        f'<r:criteria xsi:type="r:VendorSearch"><r:basic xsi:type="lc:VendorSearchBasic">'
        f'{{acme}}</r:basic></r:criteria><r:columns xsi:type="r:VendorSearchRow">'
        f'<r:basic xsi:type="lc:VendorSearchRowBasic"><lc:entityId '
        f'xsi:type="c:SearchColumnStringField"/></r:basic></r:columns></m:searchRecord>',
        ' xsi:type="c:SearchStringField"'),
}


def raw_search(server, search_record: str) -> etree._Element:
    response = post_soap(server, envelope(f"<m:search>{search_record}</m:search>",
                                          passport_xml(server.settings)), action="search")
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content)


@pytest.mark.parametrize("name", list(EXPLICIT_TYPES))
def test_a_search_with_explicit_xsi_types_finds_what_the_plain_one_does(mock, response_schema,
                                                                       name):
    search_record, field_type = EXPLICIT_TYPES[name]
    explicit = raw_search(mock, search_record.format(acme=ENTITY_ID_ACME.format(xsi=field_type)))
    plain = raw_search(mock, search_record.format(acme=ENTITY_ID_ACME.format(xsi="")))
    status = explicit.find(f".//{{{CORE}}}status")
    assert status.get("isSuccess") == "true", etree.tostring(explicit)
    assert explicit.findtext(f".//{{{CORE}}}totalRecords") == "1"
    assert etree.tostring(explicit).count(b"Acme Supplies") == \
        etree.tostring(plain).count(b"Acme Supplies") >= 1
    if response_schema is not None:
        valid_content(response_schema, etree.tostring(explicit))


def test_an_abstract_search_record_type_is_an_invalid_search_type(mock):
    root = raw_search(mock, '<m:searchRecord xsi:type="c:SearchRecord"/>')
    assert root.findtext(f".//{{{CORE}}}code") == "INVALID_SRCH_TYP"
    assert root.findtext(f".//{{{CORE}}}message") == \
        "The search type [platformCore:SearchRecord] is invalid."


def test_a_fault_rule_still_matches_a_search_with_explicit_field_types(mock):
    """The record type a search names is read from its search type, not from its fields'."""
    admin = MockAdmin(mock.url)
    admin.add_rule({"record_type": "vendor", "operation": "search",
                    "action": {"kind": "status", "code": "UNEXPECTED_ERROR"}})
    search_record, field_type = EXPLICIT_TYPES["a search field"]
    try:
        root = raw_search(mock, search_record.format(acme=ENTITY_ID_ACME.format(xsi=field_type)))
    finally:
        admin.clear_rules()
    assert root.findtext(f".//{{{CORE}}}code") == "UNEXPECTED_ERROR"
    assert admin.journal(limit=1)[-1]["record_types"] == ["vendor"]
