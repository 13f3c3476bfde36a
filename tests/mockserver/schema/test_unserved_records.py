"""Records NetSuite declares that the mock does not serve: every ``RecordType`` is served, so
these are the record types no ``RecordType`` value names (a time entry, a timesheet's line) and
the searches whose records no ``RecordType`` value is (accounting transactions). The schema
declares them all, so a client built from NetSuite's WSDL (or the mock's) can send one, and the
domain answers: a record error for a write, the mock's own "cannot search" fault for a search.
Before, the request never got past decoding (Axis's "No deserializer" fault)."""

from __future__ import annotations

import pytest
import zeep
from zeep.exceptions import Fault

from mockserver.domain.records import kind_for_qname
from tests.conftest import REAL_WSDL_DIR, SoapClient, requires_shared

EMPLOYEES = "{urn:employees_2024_1.transactions.webservices.netsuite.com}"
SALES = "{urn:sales_2024_1.transactions.webservices.netsuite.com}"

pytestmark = pytest.mark.server


def test_the_records_used_here_are_declared_and_not_served():
    from mockserver.schema import registry
    for qname in ("tranEmp:TimeEntry", "tranSales:AccountingTransactionSearch"):
        assert registry.lookup(qname) is not None
        assert kind_for_qname(qname) is None


def add_time_entry(client: SoapClient):
    entry = client.type(f"{EMPLOYEES}TimeEntry")(externalId="T-1")
    return client.call("add", record=entry).body.writeResponse


def test_adding_an_unserved_record_is_a_record_error(ns):
    response = add_time_entry(ns)
    assert response.status.isSuccess is False
    assert response.status.statusDetail[0].code == "INVALID_RCRD_TYPE"


def test_searching_an_unserved_record_is_the_mocks_cannot_search_fault(ns):
    search = ns.type(f"{SALES}AccountingTransactionSearch")(
        basic=ns.type("{urn:common_2024_1.platform.webservices.netsuite.com}"
                      "AccountingTransactionSearchBasic")())
    with pytest.raises(Fault) as raised:
        ns.call("search", searchRecord=search)
    assert raised.value.message == ("netsuite-mock cannot search on AccountingTransaction "
                                    "records yet.")


@requires_shared
@pytest.mark.shared
def test_a_client_built_from_netsuites_wsdl_gets_the_same_record_error(mock):
    real = SoapClient(zeep.Client(str(REAL_WSDL_DIR / "netsuite.wsdl")), mock)
    response = add_time_entry(real)
    assert response.status.statusDetail[0].code == "INVALID_RCRD_TYPE"
