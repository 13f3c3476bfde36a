"""netsuitesdk==3.3.0's paginated search helpers, unmodified, against the mock: they search,
then read every page (page 1 again included) with searchMoreWithId."""

from __future__ import annotations

import pytest

from tests.search_helpers import clock, reset

netsuitesdk = pytest.importorskip("netsuitesdk")
from tests.interop.test_netsuitesdk import connect  # noqa: E402

ACTIVE_VENDORS = [str(i) for i in range(101, 112)]


@pytest.fixture
def connection(mock_server, monkeypatch):
    reset(mock_server, at=None)  # netsuitesdk signs with the wall clock
    yield connect(mock_server, monkeypatch, page_size=5)
    clock(mock_server, reset=True)


def test_get_all_generator_pages_through_every_vendor(connection, mock_server):
    pages = list(connection.vendors.get_all_generator())
    assert [len(page) for page in pages] == [5, 5, 2]
    assert [v["internalId"] for page in pages for v in page] == ACTIVE_VENDORS + ["112"]
    assert connection.vendors.get_all()[0]["companyName"] == "Acme Supplies Inc."


def test_count_counts_active_records(connection):
    assert connection.vendors.count() == 11
    assert connection.subsidiaries.count() == 3
    assert connection.locations.count() == 2


def test_search_by_attribute_value_and_operator(connection):
    found = connection.vendors.search("entityId", "freight", "contains")
    assert sorted(v["internalId"] for v in found) == ["106", "111"]
    assert connection.vendors.search("entityId", "Acme Supplies Inc.", "is")[0]["email"] == \
        "billing@acme.example"
    assert connection.vendors.search("entityId", "nobody", "is") is None


def test_vendor_bills_generator_uses_the_transaction_search(connection):
    bills = connection.vendor_bills.get_all_generator()  # a list, despite its name
    assert [b["tranId"] for b in bills] == ["BILL-1", "BILL-2", "bill-3 lower"]
