"""The pytest plugin: fixtures, options and the cassette marker, in a pytest run of its own."""

from __future__ import annotations

import pytest

from contracts.cassette import load
from contracts.scrub import scan_paths

pytestmark = pytest.mark.server

TESTS = '''
import pytest

VENDOR = {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"}


def test_fixtures(netsuite_mock, netsuite_settings, netsuite_secrets, netsuite_client):
    assert netsuite_settings.service_url == netsuite_mock.service_url
    assert netsuite_secrets.consumer_key == netsuite_mock.settings.consumer_key
    assert netsuite_client.call("get", VENDOR).record.companyName == "Acme Supplies Inc."


def test_the_mock_is_reset_between_tests_and_takes_fault_rules(netsuite_mock, netsuite_client):
    from client.errors import RecordError
    netsuite_mock.add_rule({"operation": "get", "action": {"kind": "status",
                            "code": "UNEXPECTED_ERROR", "message": "boom"}})
    with pytest.raises(RecordError, match="boom"):
        netsuite_client.call("get", VENDOR)


def test_no_rule_left_over(netsuite_client):
    assert netsuite_client.call("get", VENDOR).record.companyName == "Acme Supplies Inc."


@pytest.mark.netsuite_cassette
def test_recorded(netsuite_client, netsuite_cassette):
    assert netsuite_client.call("get", VENDOR).record.companyName == "Acme Supplies Inc."
    netsuite_client.call("getAll", {"_ns_type": "GetAllRecord", "recordType": "currency"})
    assert netsuite_cassette is not None
'''


def test_the_plugin_records_then_replays_then_names_the_nearest(pytester):
    pytester.makepyfile(test_session=TESTS)
    recorded = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider",
                                            "--netsuite-record-mode=once")
    recorded.assert_outcomes(passed=4)
    path = pytester.path / "cassettes" / "test_session" / "test_recorded.yaml"
    cassette = load(path)
    assert [i.operation for i in cassette.interactions] == ["get", "getAll"]
    assert cassette.provenance["recorded_with"].startswith("pytest test_session.py::")
    assert scan_paths([path])[1] == []

    # replayed: the default record mode records nothing, and the mock's data does not matter
    replayed = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", "-k", "recorded")
    replayed.assert_outcomes(passed=1)
    assert load(path).interactions[0].response_body == cassette.interactions[0].response_body

    # a request the cassette does not hold fails, naming the nearest recorded one
    pytester.makepyfile(test_session=TESTS.replace(
        '"getAll", {"_ns_type": "GetAllRecord", "recordType": "currency"}',
        '"getAll", {"_ns_type": "GetAllRecord", "recordType": "state"}'))
    changed = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", "-k", "recorded")
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(["*interaction #2 of 2 is the nearest*",
                                  '*-    messages:record recordType="currency"*',
                                  '*+    messages:record recordType="state"*'])


def test_a_cassette_test_without_its_cassette_fails_in_the_default_mode(pytester):
    pytester.makepyfile(test_missing='''
import pytest

@pytest.mark.netsuite_cassette("elsewhere/session.yaml")
def test_it(netsuite_client):
    netsuite_client.call("getServerTime")
''')
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*--netsuite-record-mode=none records nothing. To record it: "
                                 "pytest --netsuite-record-mode=once*",
                                 "*the cassette doesn't exist*"])


def test_the_client_fixture_does_not_retry_unless_asked(pytester):
    """A fault rule without ``times`` fails the call at once; a test that overrides
    ``netsuite_retry_policy`` gets its retries, and a rule with ``times`` lets them succeed."""
    pytester.makepyfile(test_retries='''
import time

import pytest

from client.errors import ConcurrencyLimitError
from client.governance import RetryPolicy

VENDOR = {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"}
BLOCKED = {"operation": "get", "action": {"kind": "fault",
                                          "fault": "ExceededConcurrentRequestLimitFault"}}


def test_no_retries(netsuite_mock, netsuite_client):
    netsuite_mock.add_rule(BLOCKED)
    started = time.monotonic()
    with pytest.raises(ConcurrencyLimitError):
        netsuite_client.call("get", VENDOR)
    assert time.monotonic() - started < 5
    assert netsuite_client.stats.attempts == 1


def test_a_rule_with_times_then_serves(netsuite_mock, netsuite_client):
    netsuite_mock.add_rule({**BLOCKED, "times": 1})
    with pytest.raises(ConcurrencyLimitError):
        netsuite_client.call("get", VENDOR)
    assert netsuite_client.call("get", VENDOR).record.companyName == "Acme Supplies Inc."


class TestAsked:
    @pytest.fixture
    def netsuite_retry_policy(self):
        return RetryPolicy(max_attempts=3, base_delay=0.01)

    def test_retries(self, netsuite_mock, netsuite_client):
        netsuite_mock.add_rule({**BLOCKED, "times": 2})
        assert netsuite_client.call("get", VENDOR).record.companyName == "Acme Supplies Inc."
        assert netsuite_client.stats.attempts == 3
''')
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_options_are_documented(pytester):
    result = pytester.runpytest_inprocess("--help")
    result.stdout.fnmatch_lines(["*--netsuite-target=mock|URL*",
                                 "*--netsuite-record-mode*none*once*new_episodes*all*"])
    markers = pytester.runpytest_inprocess("--markers")
    markers.stdout.fnmatch_lines(["*netsuite_cassette(path=None*"])


def test_netsuite_target_url_sends_the_fixtures_to_that_endpoint(pytester):
    """``--netsuite-target=URL`` with a running netsuite-mock: the fixtures are that mock's (its
    account and credentials, found through its admin API), ``netsuite_client`` talks to it, and
    the plugin starts no mock of its own."""
    from contracts.endpoints import mock_endpoint
    from mockserver.config import MockSettings
    from mockserver.server import MockServer

    with MockServer(MockSettings(port=0, seed="demo", log_level="warning")) as target:
        admin = mock_endpoint(target).admin
        admin.load_seed({"records": [{"recordType": "vendor", "internalId": "9001",
                                      "companyName": "Only On The Target Ltd",
                                      "subsidiary": {"internalId": "1"}}]})
        admin.clear_journal()
        pytester.makepyfile(test_target=f'''
import pytest

SERVICE_URL = {target.service_url!r}


def test_the_client_talks_to_the_target(netsuite_settings, netsuite_client, request):
    assert netsuite_settings.service_url == SERVICE_URL
    vendor = netsuite_client.call("get", {{"_ns_type": "RecordRef", "type": "vendor",
                                          "internalId": "9001"}})
    assert vendor.record.companyName == "Only On The Target Ltd"
    assert "netsuite_mock_server" not in request.fixturenames
''')
        result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider",
                                              f"--netsuite-target={target.url}")
        result.assert_outcomes(passed=1)
        operations = [entry.get("operation") for entry in admin.journal()]
        assert operations.count("get") == 1, operations
