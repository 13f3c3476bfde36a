"""Accounts, integrations, tokens and roles from a scenario: limits by tier, integration-specific
limits, blocked integrations, revoked tokens, disabled TBA, lockouts and permissions."""

from __future__ import annotations

import threading
import time

import pytest
import zeep
from zeep.exceptions import Fault

from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings
from mockserver.domain.accounts import concurrency_limit_for, parse_account
from mockserver.server import MockServer
from suitetalk.config import ConfigError
from tests.conftest import SoapClient, parse_fault, post_soap, envelope, GET_VENDOR_101

pytestmark = pytest.mark.server

AP = {"id": "1111111_SB1", "service_tier": "premium", "suitecloud_plus_licences": 1,
      "roles": [
          {"name": "AP Clerk", "records": {"vendor": "view", "vendorBill": "full",
                                           "subsidiary": "view"}},
          {"name": "Vendor Editor", "records": {"vendor": "edit", "subsidiary": "view"}},
          {"name": "No Tokens", "log_in_using_access_tokens": False},
          {"name": "No SOAP", "soap_web_services": False, "records": {"*": "full"}},
          {"name": "PO Viewer", "records": {"purchaseOrder": "view", "vendorBill": "view"}},
          {"name": "Bill Maker", "records": {"purchaseOrder": "view", "vendorBill": "create",
                                             "deletedRecord": "view"}}],
      "integrations": [
          {"name": "Bill capture", "consumer_key": "ck-bills", "consumer_secret": "cs-bills",
           "concurrency_limit": 2},
          {"name": "Reporting", "consumer_key": "ck-report", "consumer_secret": "cs-report"},
          {"name": "Old sync", "consumer_key": "ck-old", "consumer_secret": "cs-old",
           "state": "blocked"}],
      "tokens": [
          {"token_id": "t-admin", "token_secret": "s-admin", "integration": "Reporting",
           "user": "admin@example.com", "role": "Administrator"},
          {"token_id": "t-clerk", "token_secret": "s-clerk", "integration": "Bill capture",
           "user": "clerk@example.com", "role": "AP Clerk"},
          {"token_id": "t-editor", "token_secret": "s-editor", "integration": "Reporting",
           "user": "editor@example.com", "role": "Vendor Editor"},
          {"token_id": "t-revoked", "token_secret": "s-revoked", "integration": "Reporting",
           "user": "gone@example.com", "revoked": True},
          {"token_id": "t-old", "token_secret": "s-old", "integration": "Old sync"},
          {"token_id": "t-notokens", "token_secret": "s-nt", "integration": "Reporting",
           "user": "nt@example.com", "role": "No Tokens"},
          {"token_id": "t-nosoap", "token_secret": "s-ns", "integration": "Reporting",
           "user": "ns@example.com", "role": "No SOAP"},
          {"token_id": "t-poviewer", "token_secret": "s-pv", "integration": "Reporting",
           "user": "pv@example.com", "role": "PO Viewer"},
          {"token_id": "t-billmaker", "token_secret": "s-bm", "integration": "Reporting",
           "user": "bm@example.com", "role": "Bill Maker"}]}
OTHER = {"id": "2222222", "concurrency_limit": 5, "tba_enabled": False, "seed": "none",
         "integrations": [{"name": "X", "consumer_key": "ck-x", "consumer_secret": "cs-x"}],
         "tokens": [{"token_id": "t-x", "token_secret": "s-x", "integration": "X"}]}


class As(SoapClient):
    """A client signing as one of the scenario's tokens."""

    def __init__(self, client, server, account, consumer_key, consumer_secret, token, secret):
        super().__init__(client, server)
        self.settings = MockSettings(account=account, consumer_key=consumer_key,
                                     consumer_secret=consumer_secret, token_id=token,
                                     token_secret=secret)


@pytest.fixture(scope="module")
def accounts_server():
    settings = MockSettings(port=0, seed="demo", accounts=[AP, OTHER])
    with MockServer(settings) as server:
        yield server


@pytest.fixture(scope="module")
def wsdl_client(accounts_server):
    return zeep.Client(accounts_server.wsdl_url)


@pytest.fixture
def admin(accounts_server):
    admin = MockAdmin(accounts_server.url)
    admin.reset()
    return admin


def client(server, wsdl_client, token: str, account: str = "1111111_SB1") -> As:
    keys = {"t-admin": ("ck-report", "cs-report"), "t-clerk": ("ck-bills", "cs-bills"),
            "t-editor": ("ck-report", "cs-report"), "t-revoked": ("ck-report", "cs-report"),
            "t-old": ("ck-old", "cs-old"), "t-notokens": ("ck-report", "cs-report"),
            "t-nosoap": ("ck-report", "cs-report"), "t-x": ("ck-x", "cs-x"),
            "t-poviewer": ("ck-report", "cs-report"), "t-billmaker": ("ck-report", "cs-report")}
    secrets = {"t-admin": "s-admin", "t-clerk": "s-clerk", "t-editor": "s-editor",
               "t-revoked": "s-revoked", "t-old": "s-old", "t-notokens": "s-nt",
               "t-nosoap": "s-ns", "t-x": "s-x", "t-poviewer": "s-pv", "t-billmaker": "s-bm"}
    return As(wsdl_client, server, account, *keys[token], token, secrets[token])


def login_failure(admin, call) -> str:
    with pytest.raises(Fault) as raised:
        call()
    assert raised.value.message == "Invalid login attempt."
    return admin.audit()[-1]["detail"]


def test_limits_follow_service_tier_and_suitecloud_plus():
    assert concurrency_limit_for("standard") == 5
    assert concurrency_limit_for("premium", 1) == 25
    assert concurrency_limit_for("enterprise", 2) == 40
    assert concurrency_limit_for("development", 3) == 5   # development accounts never scale
    with pytest.raises(ConfigError, match="unknown service tier"):
        concurrency_limit_for("gold")


def test_governance_info_reports_account_and_integration_limits(accounts_server, wsdl_client,
                                                                admin):
    ns = client(accounts_server, wsdl_client, "t-admin")
    account = ns.call("getAccountGovernanceInfo").body.getAccountGovernanceInfoResult
    assert (account.accountConcurrencyLimit, account.unallocatedConcurrencyLimit) == (25, 23)
    mine = ns.call("getIntegrationGovernanceInfo").body.getIntegrationGovernanceInfoResult
    assert (mine.integrationConcurrencyLimit, mine.limitType) == (23, "_account")


def test_integration_specific_limit_blocks_only_that_integration(admin):
    settings = MockSettings(port=0, seed="demo", latency_ms=800, accounts=[AP])
    with MockServer(settings) as server:
        wsdl = zeep.Client(server.wsdl_url)
        clerk = client(server, wsdl, "t-clerk")
        reporting = client(server, wsdl, "t-admin")
        results = {}

        def call(name, ns):
            try:
                ns.call("get", baseRef=ns.ref("vendor", "101"))
                results[name] = "ok"
            except Fault as fault:
                results[name] = fault.message

        threads = [threading.Thread(target=call, args=(f"clerk{i}", clerk)) for i in range(3)]
        threads += [threading.Thread(target=call, args=(f"report{i}", reporting))
                    for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        clerk_results = sorted(v for k, v in results.items() if k.startswith("clerk"))
        assert clerk_results == ["SuiteTalk concurrent request limit exceeded. Request blocked.",
                                 "ok", "ok"]
        assert all(v == "ok" for k, v in results.items() if k.startswith("report"))
        state = MockAdmin(server.url).governance()["1111111_SB1"]
        assert state["integrations"][0] == {"name": "Bill capture", "state": "enabled",
                                            "limit": 2, "limitType": "_integrationSpecific",
                                            "inFlight": 0}
        assert state["inFlight"] == 0


def test_governance_shows_which_integration_holds_the_slots():
    """Bill capture (a limit of its own, 2) and Reporting (the shared pool) each hold slots
    while their requests wait out a delay rule; the admin API names who holds what."""
    rules = [{"integration": ["Bill capture", "Reporting"], "action": {"kind": "delay",
                                                                        "ms": 3000}}]
    with MockServer(MockSettings(port=0, seed="demo", accounts=[AP], rules=rules)) as server:
        wsdl = zeep.Client(server.wsdl_url)
        callers = [client(server, wsdl, "t-clerk")] * 2 + [client(server, wsdl, "t-admin")]
        threads = [threading.Thread(target=ns.call, args=("getServerTime",)) for ns in callers]
        for t in threads:
            t.start()
        admin = MockAdmin(server.url)
        deadline = time.monotonic() + 30
        while admin.governance()["1111111_SB1"]["inFlight"] < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        state = admin.governance()["1111111_SB1"]
        for t in threads:
            t.join()
        assert (state["inFlight"], state["unallocatedInFlight"]) == (3, 1)
        assert [(i["name"], i["limit"], i["limitType"], i["inFlight"])
                for i in state["integrations"]] == [
            ("Bill capture", 2, "_integrationSpecific", 2), ("Reporting", 23, "_account", 1),
            ("Old sync", 23, "_account", 0)]
        after = admin.governance()["1111111_SB1"]
        assert [i["inFlight"] for i in after["integrations"]] == [0, 0, 0]


def test_allocating_every_slot_is_refused():
    spec = dict(AP, service_tier="standard", suitecloud_plus_licences=0,
                integrations=[dict(AP["integrations"][0], concurrency_limit=5)], tokens=[])
    with pytest.raises(ConfigError, match="keeps at least 1 unallocated"):
        parse_account(spec)


@pytest.mark.parametrize("token, reason", [
    ("t-revoked", "token_rejected"),
    ("t-old", "consumer_key_refused"),
    ("t-notokens", "permission_denied"),
])
def test_refused_logins_fail_as_netsuite_does(accounts_server, wsdl_client, admin, token, reason):
    ns = client(accounts_server, wsdl_client, token)
    assert login_failure(admin, lambda: ns.call("get", baseRef=ns.ref("vendor", "101"))) == reason


def test_tba_disabled_account(accounts_server, wsdl_client, admin):
    ns = client(accounts_server, wsdl_client, "t-x", account="2222222")
    assert login_failure(admin, lambda: ns.call("getServerTime")) == "FeatureDisabled"


def test_credentials_of_another_account_are_unknown_there(accounts_server, wsdl_client, admin):
    ns = client(accounts_server, wsdl_client, "t-x", account="1111111_SB1")
    assert login_failure(admin, lambda: ns.call("getServerTime")) == "consumer_key_unknown"


def test_role_without_soap_web_services_gets_insufficient_permission_fault(accounts_server,
                                                                           admin):
    s = MockSettings(account="1111111_SB1", consumer_key="ck-report", consumer_secret="cs-report",
                     token_id="t-nosoap", token_secret="s-ns")
    from tests.conftest import passport_xml
    fault = parse_fault(post_soap(accounts_server, envelope(GET_VENDOR_101, passport_xml(s))))
    assert (fault["element"], fault["code"], fault["message"]) == (
        "insufficientPermissionFault", "WS_PERMISSION_REQD",
        "You do not have permission to access SOAP web services feature.")
    assert admin.audit()[-1]["status"] == "Success"


def test_user_is_locked_after_five_failed_logins_for_thirty_minutes(accounts_server, wsdl_client,
                                                                     admin):
    good = client(accounts_server, wsdl_client, "t-editor")
    bad = client(accounts_server, wsdl_client, "t-editor")
    bad.settings.token_secret = "wrong"
    for _ in range(5):
        assert login_failure(admin, lambda: bad.call("getServerTime")) == "InvalidSignature"
    assert login_failure(admin, lambda: good.call("getServerTime")) == "temporary_locked"
    admin.advance_clock(30 * 60 + 1)
    try:
        good.call("getServerTime")
    finally:
        admin.reset_clock()
    assert admin.audit()[-1]["status"] == "Success"


def test_successful_login_resets_the_failure_count(accounts_server, wsdl_client, admin):
    good = client(accounts_server, wsdl_client, "t-editor")
    bad = client(accounts_server, wsdl_client, "t-editor")
    bad.settings.token_secret = "wrong"
    for _ in range(4):
        login_failure(admin, lambda: bad.call("getServerTime"))
    good.call("getServerTime")
    for _ in range(4):
        login_failure(admin, lambda: bad.call("getServerTime"))
    good.call("getServerTime")  # not locked: the count started again


def test_record_permissions(accounts_server, wsdl_client, admin):
    clerk = client(accounts_server, wsdl_client, "t-clerk")
    assert clerk.call("get", baseRef=clerk.ref("vendor", "101")).body.readResponse.status.isSuccess
    added = clerk.call("add", record=clerk.type("ns13:Vendor")(
        companyName="Not allowed", subsidiary=clerk.ref(internal_id="1"))).body.writeResponse
    assert added.status.isSuccess is False
    detail = added.status.statusDetail[0]
    assert (detail.code, detail.message) == (
        "INSUFFICIENT_PERMISSION",
        "Permission Violation: You need a higher level of the 'Lists -> Vendors' permission to "
        "access this page. Please contact your account administrator.")
    editor = client(accounts_server, wsdl_client, "t-editor")
    updated = editor.call("update", record=editor.type("ns13:Vendor")(
        internalId="101", phone="555-0000")).body.writeResponse
    assert updated.status.isSuccess is True
    deleted = editor.call("delete", baseRef=editor.ref("vendor", "101")).body.writeResponse
    assert deleted.status.statusDetail[0].code == "INSUFFICIENT_PERMISSION"
    customer = editor.call("get", baseRef=editor.ref("customer", "150")).body.readResponse
    # no level at all: NetSuite's template without a level word (two spaces)
    assert customer.status.statusDetail[0].message.startswith(
        "Permission Violation: You need  the 'Lists -> Customers' permission")


def test_governance_info_is_for_administrators_only(accounts_server, wsdl_client, admin):
    clerk = client(accounts_server, wsdl_client, "t-clerk")
    with pytest.raises(Fault) as raised:
        clerk.call("getAccountGovernanceInfo")
    assert raised.value.detail[0].tag.endswith("insufficientPermissionFault")


@pytest.mark.parametrize("change, message", [
    ({"service_tier": "gold"}, "unknown service tier"),
    ({"roles": [{"name": "R", "records": {"vendor": "superuser"}}]}, "unknown permission level"),
    ({"tokens": [{"token_id": "t", "token_secret": "s", "integration": "Nope"}]},
     "names integration 'Nope'"),
    ({"tokens": [{"token_id": "t", "token_secret": "s", "integration": "Reporting",
                  "role": "Ghost"}]}, "role 'Ghost'"),
    ({"colour": "red"}, "unknown setting(s) colour"),
])
def test_bad_account_set_ups_are_explained(change, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_account({**AP, **change})


def test_search_and_get_all_respect_record_permissions(accounts_server, wsdl_client, admin):
    clerk = client(accounts_server, wsdl_client, "t-clerk")        # vendors: view; no customers
    vendors = clerk.call("search", searchRecord=clerk.type("ns5:VendorSearchBasic")()
                         ).body.searchResult
    assert vendors.status.isSuccess and vendors.totalRecords == 12
    customers = clerk.call("search", searchRecord=clerk.type("ns5:CustomerSearchBasic")()
                           ).body.searchResult
    assert customers.status.statusDetail[0].code == "INSUFFICIENT_PERMISSION"
    currencies = clerk.call("getAll", record=clerk.type("ns0:GetAllRecord")(
        recordType="currency")).body.getAllResult
    assert currencies.status.statusDetail[0].message.startswith(
        "Permission Violation: You need  the 'Lists -> Currency' permission")
    assert currencies.totalRecords is None and currencies.recordList is None  # status only
    # a transaction search sees only the transaction types the role may view
    bills_only = clerk.call("search", searchRecord=clerk.type("ns5:TransactionSearchBasic")()
                            ).body.searchResult
    types = {type(r).__name__ for r in (bills_only.recordList.record or [])}
    assert types == {"VendorBill"}


def permission_violation(permission: str, *, some_level: bool = False) -> tuple[str, str]:
    """NetSuite's text for a role with too low a level, or (the default) with none at all."""
    level = "a higher level of" if some_level else ""
    return ("INSUFFICIENT_PERMISSION",
            f"Permission Violation: You need {level} the '{permission}' permission to "
            f"access this page. Please contact your account administrator.")


def test_initialize_needs_create_on_the_new_record_and_view_on_its_source(accounts_server,
                                                                          wsdl_client, admin):
    def initialize(token: str):
        ns = client(accounts_server, wsdl_client, token)
        return ns.call("initialize", initializeRecord=ns.type("ns0:InitializeRecord")(
            type="vendorBill", reference=ns.type("ns0:InitializeRef")(
                type="purchaseOrder", internalId="301"))).body.readResponse

    def failure(response) -> tuple[str, str]:
        assert response.status.isSuccess is False and response.record is None
        detail = response.status.statusDetail[0]
        return detail.code, detail.message

    # may view bills and orders, not create bills
    assert failure(initialize("t-poviewer")) == permission_violation("Transactions -> Bills",
                                                                       some_level=True)
    # may do anything with bills, nothing with purchase orders
    assert failure(initialize("t-clerk")) == permission_violation(
        "Transactions -> Purchase Order")
    made = initialize("t-billmaker")
    assert made.status.isSuccess and type(made.record).__name__ == "VendorBill"


def test_get_deleted_needs_the_deleted_records_permission(accounts_server, wsdl_client, admin):
    administrator = client(accounts_server, wsdl_client, "t-admin")
    assert administrator.call("delete", baseRef=administrator.ref("vendor", "112")
                              ).body.writeResponse.status.isSuccess

    def get_deleted(token: str):
        ns = client(accounts_server, wsdl_client, token)
        return ns.call("getDeleted", getDeletedFilter=ns.type("ns0:GetDeletedFilter")(),
                       pageIndex=1).body.getDeletedResult

    refused = get_deleted("t-clerk")       # views and edits vendors, no Deleted Records
    assert refused.status.isSuccess is False and refused.deletedRecordList is None
    detail = refused.status.statusDetail[0]
    assert (detail.code, detail.message) == permission_violation("Lists -> Deleted Records")
    for token in ("t-admin", "t-billmaker"):   # the Bill Maker may not view vendors: no matter
        result = get_deleted(token)
        assert result.status.isSuccess, token
        assert [(d.record.type, d.record.internalId)
                for d in result.deletedRecordList.deletedRecord] == [("vendor", "112")]


def test_posting_summary_needs_the_financial_statements_permission(accounts_server, wsdl_client,
                                                                   admin):
    def summary(token: str):
        ns = client(accounts_server, wsdl_client, token)
        return ns.call("getPostingTransactionSummary",
                       fields=ns.type("ns0:PostingTransactionSummaryField")(account=True),
                       pageIndex=1).body.getPostingTransactionSummaryResult

    refused = summary("t-clerk")           # full on bills, no Financial Statements
    assert refused.status.isSuccess is False and refused.postingTransactionSummaryList is None
    detail = refused.status.statusDetail[0]
    assert (detail.code, detail.message) == permission_violation(
        "Reports -> Financial Statements")
    allowed = summary("t-admin")
    assert allowed.status.isSuccess and allowed.totalRecords > 0
