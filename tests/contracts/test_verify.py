"""``netsuite-contracts verify``: the reference recordings pass against the mock (what CI runs),
a session recorded against the mock verifies against a fresh one, and a deliberately broken
mock fails with a diff that says what changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from client.errors import NetSuiteError, RecordError
from client.governance import RetryPolicy
from contracts.cassette import load
from contracts.cli import main as contracts_main
from contracts.seeding import plan_seed
from mockserver.domain import errors

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[2]
RECORDINGS = ROOT / "recordings"
SCRIPTS = Path(sys.executable).parent


def test_ci_commands_pass_on_the_reference_recordings():
    """Exactly what CI needs: both commands, as installed console scripts, exit 0."""
    for command in (["verify", "recordings/", "--mock"], ["scan", "recordings/"]):
        done = subprocess.run([str(SCRIPTS / "netsuite-contracts"), *command], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    assert "8 cassette(s), 13 interaction(s): 12 ok, 0 diverged, 1 skipped" in \
        subprocess.run([str(SCRIPTS / "netsuite-contracts"), "verify", "recordings/"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300).stdout


def test_every_reference_cassette_says_it_was_not_recorded_from_a_live_account():
    cassettes = sorted(RECORDINGS.glob("*.yaml"))
    assert len(cassettes) == 8
    for path in cassettes:
        provenance = load(path).provenance
        assert provenance["source"] == "synthetic", path
        assert provenance["recorded_from_live_account"] is False, path
        assert any("netsuite-soap-2024_1.md" in s for s in provenance["built_from"]), path


def test_the_reference_cassettes_are_what_the_builder_writes(tmp_path, monkeypatch):
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_recordings", RECORDINGS / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setattr(build, "ROOT", tmp_path)
    build.main()
    for path in sorted(RECORDINGS.glob("*.yaml")):
        assert (tmp_path / path.name).read_text() == path.read_text(), path.name


def test_one_line_per_interaction_and_a_summary(capsys):
    assert contracts_main(["verify", str(RECORDINGS), "--mock"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  ok ")]
    assert len(lines) == 12
    assert "  skipped  #2   checkAsyncStatus       success  [the job was still running when " \
           "recorded: how long NetSuite took is not compared]" in out
    assert "  ok       #1   getServerTime          fault USER_ERROR  [signed so that the " \
           "target must refuse it" in out
    assert "#1   get                    fault WS_REQUEST_BLOCKED  [reproduced with a " \
           "one-shot ExceededConcurrentRequestLimitFault rule, as recorded]" in out
    assert "#2   searchMoreWithId       success; 7 records, page 2" in out


def test_a_broken_mock_fails_verification_with_a_clear_diff(monkeypatch, capsys):
    monkeypatch.setitem(errors.STATUS_MESSAGES, "record_missing",
                        ("RCRD_DSNT_EXIST", "No such record, sorry."))
    assert contracts_main(["verify", str(RECORDINGS / "missing-record.yaml")]) == 1
    out = capsys.readouterr().out
    assert "DIVERGED #1   get                    failed RCRD_DSNT_EXIST" in out
    assert "-            core:message = 'That record does not exist.'" in out
    assert "+            core:message = 'No such record, sorry.'" in out
    assert "0 ok, 1 diverged" in out


def test_a_mock_that_stops_computing_totals_fails_on_the_field(monkeypatch, capsys):
    from mockserver.domain import writes
    monkeypatch.setattr(writes, "compute_amounts", lambda kind, record: None)
    assert contracts_main(["verify", str(RECORDINGS / "vendor-bill-upsert-then-get.yaml")]) == 1
    out = capsys.readouterr().out
    assert "ok       #1   upsert" in out and "DIVERGED #2   get" in out
    assert "-          purchases:userTotal = '1549.5'" in out


def test_a_mock_that_pages_differently_fails_on_the_paging(monkeypatch, capsys):
    from mockserver.domain.handlers import search as search_operations
    monkeypatch.setattr(search_operations, "_page_size", lambda prefs, maximum=1000: 6)
    assert contracts_main(["verify", str(RECORDINGS / "vendor-search-pages.yaml")]) == 1
    out = capsys.readouterr().out
    assert "-        core:pageSize = '5'" in out and "+        core:pageSize = '6'" in out
    assert "-          core:record externalId=\"VEND-006\" internalId=\"316\"" in out


def test_a_session_recorded_against_the_mock_verifies_against_a_fresh_one(netsuite_mock,
                                                                         tmp_path, capsys):
    """Record against the demo data (reads, paging, writes, errors, a fault rule, an update),
    then verify with a mock that starts empty: everything it needs comes from the cassette."""
    path = tmp_path / "session.yaml"
    with netsuite_mock.endpoint.client(record_to=str(path),
                                       retry=RetryPolicy(max_attempts=1)) as ns:
        ns.call("getAll", {"_ns_type": "GetAllRecord", "recordType": "currency"})
        assert len(list(ns.search_all({"_ns_type": "VendorSearchBasic"}, page_size=5))) == 12
        bill = {"_ns_type": "VendorBill", "externalId": "BILL-77", "tranId": "INV-77",
                "entity": {"_ns_type": "RecordRef", "internalId": "101"},
                "expenseList": {"expense": [{"account": {"internalId": "56"}, "amount": 125.5}]}}
        written = ns.call("upsert", bill)
        ns.call("get", {"_ns_type": "RecordRef", "type": "vendorBill",
                        "internalId": written.baseRef.internalId})
        ns.call("upsert", bill)
        with pytest.raises(RecordError):
            ns.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "999"})
        ns.call("addList", record=[
            {"_ns_type": "Vendor", "companyName": "New Co", "subsidiary": {"internalId": "1"}},
            {"_ns_type": "Vendor", "companyName": "Bad Sub", "subsidiary": {"internalId": "99"}}])
        netsuite_mock.add_rule({"operation": "get", "nth": 1, "times": 1, "action": {
            "kind": "fault", "fault": "ExceededConcurrentRequestLimitFault"}})
        with pytest.raises(NetSuiteError):
            ns.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "102"})
        ns.call("update", {"_ns_type": "Vendor", "internalId": "103", "comments": "updated"})
        ns.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "103"})
    plan = plan_seed(load(path).interactions)
    seeded = {(r["recordType"], r.get("internalId")) for r in plan.records}
    assert ("vendor", "101") in seeded and ("vendor", "103") in seeded
    assert ("vendor", "999") not in seeded and ("subsidiary", "99") not in seeded
    assert not any(t == "vendorBill" for t, _ in seeded)   # the session created it
    assert contracts_main(["verify", str(path)]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "12 interaction(s): 12 ok, 0 diverged" in out


def test_verify_against_a_running_mock(netsuite_mock, capsys):
    assert contracts_main(["verify", str(RECORDINGS / "addlist-mixed.yaml"), "--against",
                           netsuite_mock.url]) == 0
    assert "1 ok, 0 diverged" in capsys.readouterr().out


def test_verify_against_an_endpoint_without_credentials_is_a_usage_error(capsys):
    assert contracts_main(["verify", str(RECORDINGS), "--against",
                           "http://127.0.0.1:9/services/NetSuitePort_2024_1"]) == 2
    assert "is not a netsuite-mock" in capsys.readouterr().err


def test_verify_reports_unreadable_cassettes_and_missing_paths(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("interactions: [1, 2]\n")
    assert contracts_main(["verify", str(bad)]) == 1
    assert "interaction 1 is malformed" in capsys.readouterr().out
    assert contracts_main(["verify", str(tmp_path / "nothing-here")]) == 2


def _answer(message: str = "That record does not exist.", ns_id: str = "WEBSERVICES_X_1",
            amount: str = "1250.0", when: str = "2024-03-01T10:00:00Z") -> bytes:
    return (f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>'
            f'<m:documentInfo xmlns:m="urn:messages_2024_1.platform.webservices.netsuite.com">'
            f'<m:nsId>{ns_id}</m:nsId></m:documentInfo></s:Header><s:Body>'
            f'<c:status xmlns:c="urn:core_2024_1.platform.webservices.netsuite.com" '
            f'isSuccess="false"><c:statusDetail type="ERROR"><c:code>X</c:code>'
            f'<c:message>{message}</c:message><c:amount>{amount}</c:amount>'
            f'<c:tranDate>{when}</c:tranDate></c:statusDetail></c:status>'
            f'</s:Body></s:Envelope>').encode()


@pytest.mark.parametrize("changed, same", [
    ({"ns_id": "WEBSERVICES_Y_2"}, True),                              # ignored
    ({"message": "Oops. Error ID: abc123"}, False),
    ({"amount": "1250.00"}, True),                                     # the same number
    ({"when": "2024-03-01T02:00:00-08:00"}, True),                     # the same instant
    ({"amount": "1250.01"}, False),
    ({"message": "That record does not exist!"}, False),
])
def test_answers_compare_by_meaning_whichever_way_is_taken(changed, same):
    """The byte comparison (the fast way) only ever says 'same' when the normalised lines
    would, and the lines decide when it cannot."""
    from contracts.verify import IGNORED_VALUES, _masked, normalised
    recorded, actual = _answer(), _answer(**changed)
    by_lines = normalised(recorded, 200).lines == normalised(actual, 200).lines
    assert by_lines is same
    assert normalised(recorded, 200).same_as(normalised(actual, 200)) is same
    if _masked(recorded, IGNORED_VALUES) == _masked(actual, IGNORED_VALUES):
        assert same
    errors = (_answer("Oops. Error ID: abc123"), _answer("Oops. Error ID: zzz999"))
    assert _masked(errors[0], IGNORED_VALUES) == _masked(errors[1], IGNORED_VALUES)
    assert normalised(errors[0], 200).lines == normalised(errors[1], 200).lines


def test_once_the_target_assigned_other_ids_answers_are_compared_with_the_ids_mapped(tmp_path):
    """A record the session added got id 501 on the target where the recording had 500: the
    target's 501 means the recording's 500, so an answer naming 501 on both sides differs,
    although its bytes are the same."""
    from contracts.cassette import Interaction
    from contracts.soapxml import SoapMessage
    from contracts.verify import IdMap, _same_bytes, normalised
    body = _answer().replace(b'isSuccess="false"', b'isSuccess="false" internalId="501"')
    interaction = Interaction(1, "POST", "", {}, b"", 200, "OK", {}, body)
    ids = IdMap()
    assert _same_bytes(interaction, interaction.response, body, SoapMessage.parse(body), ids,
                       ("nsId",))
    ids._map("500", "501")
    assert not _same_bytes(interaction, interaction.response, body, SoapMessage.parse(body),
                           ids, ("nsId",))
    assert not normalised(body, 200).same_as(normalised(body, 200, ids=ids.recorded_id))


def _record(netsuite_mock, path, calls):
    """A session recorded against the demo data: each call may fail."""
    with netsuite_mock.endpoint.client(record_to=str(path),
                                       retry=RetryPolicy(max_attempts=1)) as ns:
        for operation, args in calls:
            with pytest.raises(NetSuiteError):
                ns.call(operation, *args)


CHANGE_PASSWORD = ("changePassword", ({"_ns_type": "ChangePassword", "currentPassword": "old",
                                       "newPassword": "new1", "newPassword2": "new1"},))


def test_the_mocks_own_not_implemented_fault_is_compared_not_injected(netsuite_mock, tmp_path,
                                                                      capsys, monkeypatch):
    """A session that called an operation the mock does not implement round-trips: the request
    is sent and the mock's fault compared (no rule). Once the mock answers it, verification
    says so."""
    from mockserver.domain import dispatch
    monkeypatch.delitem(dispatch.OPERATIONS, "changePassword")   # as if the mock had no handler
    path = tmp_path / "session.yaml"
    _record(netsuite_mock, path, [CHANGE_PASSWORD])
    assert contracts_main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ok       #1   changePassword         fault UNEXPECTED_ERROR\n" in out
    assert "rule" not in out

    monkeypatch.setitem(dispatch.OPERATIONS, "changePassword",
                        lambda call, body: {"changePasswordResponse": {
                            "sessionResponse": {"status": {"isSuccess": True}}}})
    assert contracts_main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "DIVERGED #1   changePassword" in out, out
    assert "-      faultstring = 'netsuite-mock does not implement the changePassword " \
           "operation yet.'" in out


def test_netsuites_unexpected_error_is_reproduced_exactly_as_recorded(netsuite_mock, tmp_path,
                                                                       capsys):
    """An UnexpectedErrorFault from a sandbox (here: the mock told to answer one with NetSuite's
    captured texts) cannot be provoked by the request: it is injected with the recorded code,
    message and faultstring, so only real differences diverge."""
    netsuite_mock.add_rule({"operation": "get", "nth": 1, "times": 1, "action": {
        "kind": "fault", "fault": "UnexpectedErrorFault",
        "message": "An unexpected error occurred. Error ID: j0b0mmf81qhk9h7ezjgbz",
        "faultstring": "You do not have permission to access web services feature."}})
    path = tmp_path / "session.yaml"
    _record(netsuite_mock, path, [("get", ({"_ns_type": "RecordRef", "type": "vendor",
                                            "internalId": "101"},))])
    fault = load(path).interactions[0].response.fault()
    assert fault["faultstring"] == "You do not have permission to access web services feature."
    assert contracts_main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ok       #1   get                    fault UNEXPECTED_ERROR  [reproduced with a " \
           "one-shot UnexpectedErrorFault rule, as recorded]" in out


def test_transactions_linked_to_records_the_cassette_does_not_show_verify(netsuite_mock,
                                                                          tmp_path, capsys):
    """An accounts-payable session reads a bill billed from an order, a receipt of another
    order, a payment and a credit memo applied to documents it never reads: the mock is seeded
    with orders that have the lines those records point at, and the documents they apply to."""
    path = tmp_path / "ap.yaml"
    with netsuite_mock.endpoint.client(record_to=str(path)) as ns:
        for record_type, internal_id in (("vendorBill", "503"), ("itemReceipt", "403"),
                                         ("vendorPayment", "651"), ("creditMemo", "851")):
            ns.call("get", {"_ns_type": "RecordRef", "type": record_type,
                            "internalId": internal_id})
    plan = plan_seed(load(path).interactions)
    seeded = {(r["recordType"], r.get("internalId")): r for r in plan.records}
    order = seeded[("purchaseOrder", "304")]   # what bill 503 was billed from, not shown
    assert [line["line"] for line in order["itemList"]["item"]] == [1]
    assert [line["line"] for line in order["expenseList"]["expense"]] == [1]
    assert order["entity"]["internalId"] == seeded[("vendorBill", "503")]["entity"]["internalId"]
    assert ("purchaseOrder", "303") in seeded          # what receipt 403 was created from
    assert ("vendorBill", "505") in seeded and ("invoice", "801") in seeded   # applied to
    assert contracts_main(["verify", str(path)]) == 0, capsys.readouterr().out
    assert "4 interaction(s): 4 ok, 0 diverged" in capsys.readouterr().out


def test_an_asynchronous_session_verifies_with_its_job_ids_mapped(netsuite_mock, tmp_path,
                                                                   capsys):
    """Job ids differ from run to run: checkAsyncStatus and getAsyncResult are sent with the
    fresh mock's own, and the answers (status, the records read) compared."""
    path = tmp_path / "async.yaml"
    with netsuite_mock.endpoint.client(record_to=str(path),
                                       retry=RetryPolicy(max_attempts=1)) as ns:
        job = ns.call("asyncGetList", baseRef=[
            {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"},
            {"_ns_type": "RecordRef", "type": "vendor", "internalId": "999"}]).jobId
        assert ns.call("checkAsyncStatus", jobId=job).status == "finishedWithErrors"
        ns.call("getAsyncResult", jobId=job, pageIndex=1)
    assert contracts_main(["verify", str(path)]) == 0, capsys.readouterr().out
    assert "3 interaction(s): 3 ok, 0 diverged" in capsys.readouterr().out
    # a mock whose jobs always finish cleanly is caught on the status
    broken = path.read_text().replace("finishedWithErrors", "finished")
    (tmp_path / "broken.yaml").write_text(broken)
    assert contracts_main(["verify", str(tmp_path / "broken.yaml")]) == 1
    assert "finishedWithErrors" in capsys.readouterr().out


def test_balances_of_transactions_the_cassette_does_not_show_are_not_divergences(
        netsuite_mock, tmp_path, capsys):
    """A vendor read in a session carries a balance summed over its bill (read too) and a credit
    the session never read; the target, seeded with what the cassette shows, knows only the
    bill, so balances are ignored (as server timestamps are), and every other field is still
    compared."""
    path = tmp_path / "vendors.yaml"
    with netsuite_mock.endpoint.client(record_to=str(path)) as ns:
        read = ns.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "105"})
        ns.call("get", {"_ns_type": "RecordRef", "type": "vendorBill", "internalId": "501"})
    assert read.record.balance, "the demo vendor should owe something"
    assert contracts_main(["verify", str(path)]) == 0, capsys.readouterr().out
    assert "2 interaction(s): 2 ok, 0 diverged" in capsys.readouterr().out
