"""Customer cases kept as scenario files (tests/scenarios/*.toml), reproduced end to end."""

from __future__ import annotations

import threading
import time

import pytest
import zeep
from zeep.exceptions import Fault

from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings, load_settings
from mockserver.server import MockServer
from tests.conftest import ROOT, SoapClient

pytestmark = pytest.mark.server
SCENARIOS = ROOT / "tests" / "scenarios"


def signed_as(wsdl_client, server, consumer_key, consumer_secret, token, secret) -> SoapClient:
    ns = SoapClient(wsdl_client, server)
    ns.settings = MockSettings(account="1234567_SB1", consumer_key=consumer_key,
                               consumer_secret=consumer_secret, token_id=token,
                               token_secret=secret)
    return ns


def holding(admin) -> dict:
    """Requests in flight by integration, as the dashboard shows them."""
    return {i["name"]: i["inFlight"]
            for i in admin.governance()["1234567_SB1"]["integrations"]}


def test_third_vendor_bill_upsert_fails_while_two_integrations_hold_the_slots():
    settings = load_settings(config_file=str(SCENARIOS / "third_bill_upsert_fails.toml"),
                             environ={}, flags={"port": 0})
    with MockServer(settings) as server:
        admin = MockAdmin(server.url)
        wsdl_client = zeep.Client(server.wsdl_url)
        bills = signed_as(wsdl_client, server, "ck-bill-capture", "cs-bill-capture",
                          "tk-bill-capture", "ts-bill-capture")
        erp = signed_as(wsdl_client, server, "ck-erp-sync", "cs-erp-sync", "tk-erp-sync",
                        "ts-erp-sync")
        reporting = signed_as(wsdl_client, server, "ck-reporting", "cs-reporting",
                              "tk-reporting", "ts-reporting")

        # the other two integrations start their long requests ...
        background = [threading.Thread(target=ns.call, args=("getServerTime",))
                      for ns in (erp, reporting)]
        for t in background:
            t.start()
        deadline = time.monotonic() + 5
        while admin.governance()["1234567_SB1"]["inFlight"] < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert admin.governance()["1234567_SB1"]["inFlight"] == 2
        assert holding(admin) == {"Bill capture": 0, "Nightly ERP sync": 1, "Reporting": 1}

        # ... while bill capture upserts its bills of the day, one at a time
        T = bills.type
        results = []
        for n in range(1, 5):
            bill = T("ns21:VendorBill")(
                externalId=f"CAPTURE-{n}", tranId=f"INV-{n}", entity=bills.ref(internal_id="101"),
                expenseList=T("ns21:VendorBillExpenseList")(expense=[T("ns21:VendorBillExpense")(
                    account=bills.ref(internal_id="58"), amount=100.0 * n)]))
            results.append(bills.call("upsert", record=bill).body.writeResponse.status)
        assert [s.isSuccess for s in results] == [True, True, False, True]
        failure = results[2].statusDetail[0]
        assert failure.code == "UNEXPECTED_ERROR"
        assert failure.message.startswith("An unexpected error occurred. Error ID: ")

        # one more long ERP request fills the account: now bill capture is turned away
        extra = threading.Thread(target=erp.call, args=("getServerTime",))
        extra.start()
        deadline = time.monotonic() + 5
        while admin.governance()["1234567_SB1"]["inFlight"] < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert holding(admin) == {"Bill capture": 0, "Nightly ERP sync": 2, "Reporting": 1}
        with pytest.raises(Fault) as raised:
            bills.call("getServerTime")
        assert raised.value.message == \
            "SuiteTalk concurrent request limit exceeded. Request blocked."
        for t in background + [extra]:
            t.join()

        # what the dashboard shows comes from the journal
        journal = admin.journal()
        upserts = [e for e in journal if e["operation"] == "upsert"]
        assert [(e["integration"], e["outcome"], e["codes"]) for e in upserts] == [
            ("Bill capture", "success", []), ("Bill capture", "success", []),
            ("Bill capture", "error", ["UNEXPECTED_ERROR"]), ("Bill capture", "success", [])]
        assert upserts[2]["rule"] == "third vendor-bill upsert of the day"
        assert upserts[2]["time"].startswith("2024-03-01")
        held = [e for e in journal if e["integration"] in ("Nightly ERP sync", "Reporting")]
        assert all(e["duration_ms"] >= 4000 for e in held) and len(held) == 3
        assert any(e["codes"] == ["WS_REQUEST_BLOCKED"] for e in journal)
        assert [r["fired"] for r in admin.rules()] == [3, 1]
        captured = {v.get("externalId") for v in admin.records("vendorBill")
                    if v.get("externalId", "").startswith("CAPTURE-")}
        assert captured == {"CAPTURE-1", "CAPTURE-2", "CAPTURE-4"}
