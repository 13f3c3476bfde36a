"""Paging through a whole search (``search``, then ``searchMoreWithId``) over HTTP, with totals and
a progress bar on terminals only."""

from __future__ import annotations

import io

import pytest
from lxml import etree
from zeep.plugins import HistoryPlugin

from client.progress import Progress
from tests.client_helpers import admin_records, make_client, wsdl_cache  # noqa: F401
from tests.conftest import MSGS

pytestmark = pytest.mark.server


@pytest.fixture
def nsc(mock, wsdl_cache):  # noqa: F811
    with make_client(mock, wsdl_cache) as client:
        yield client


def sent_operations(history: HistoryPlugin) -> list[tuple[str, dict]]:
    sent = []
    for entry in history._buffer:
        body = entry["sent"]["envelope"].find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
        operation = body[0]
        sent.append((etree.QName(operation).localname,
                     {etree.QName(c).localname: c.text for c in operation
                      if etree.QName(c).namespace == MSGS}))
    return sent


def test_all_pages_are_read_in_order_with_totals(nsc, mock):
    history = HistoryPlugin(maxlen=20)
    nsc.zeep.plugins.append(history)
    pages = nsc.search_all({"_ns_type": "VendorSearchBasic"}, page_size=5)
    vendors = list(pages)

    expected = sorted(r["internalId"] for r in admin_records(mock, "vendor"))
    assert len(expected) == 12
    assert sorted(v.internalId for v in vendors) == expected
    assert all(type(v).__name__ == "Vendor" for v in vendors)
    assert (pages.total_records, pages.total_pages, pages.page_size) == (12, 3, 5)
    assert (pages.pages_read, pages.records_read, pages.duplicates) == (3, 12, 0)
    sent = sent_operations(history)
    assert [name for name, _ in sent] == ["search", "searchMoreWithId", "searchMoreWithId"]
    assert [args["pageIndex"] for _, args in sent[1:]] == ["2", "3"]
    assert {args["searchId"] for _, args in sent[1:]} == {pages.search_id}
    assert pages.search_id.startswith("WEBSERVICES_")


def test_page_size_comes_from_the_configured_header_too(nsc):
    pages = nsc.search_all({"_ns_type": "VendorSearchBasic"},
                           headers={"searchPreferences": {"pageSize": 10,
                                                          "bodyFieldsOnly": False}})
    assert len(list(pages)) == 12
    assert (pages.page_size, pages.pages_read) == (10, 2)


def test_one_page_when_everything_fits(nsc):
    pages = nsc.search_all({"_ns_type": "SubsidiarySearchBasic"}, page_size=100)
    subsidiaries = list(pages)
    assert sorted(s.internalId for s in subsidiaries) == ["1", "2", "3"]
    assert (pages.pages_read, nsc.stats.calls) == (1, 1)


def test_progress_bar_on_a_terminal(nsc):
    terminal = io.StringIO()
    progress = Progress(terminal, enabled=True, interval=0)
    vendors = list(nsc.search_all({"_ns_type": "VendorSearchBasic"}, page_size=5,
                                  progress=progress, label="vendors"))
    progress.close()
    drawn = terminal.getvalue()
    assert len(vendors) == 12
    assert "\r" in drawn
    assert "vendors [" in drawn and "12/12 records" in drawn and "page 3/3" in drawn
    assert "[" + "#" * 10 in drawn           # a filled bar at the end
    assert drawn.endswith("\r\x1b[2K")       # and the line is cleared when done


def test_no_progress_bar_when_not_a_terminal(nsc):
    log = io.StringIO()  # not a tty: CI logs get no control characters
    progress = Progress(log)
    assert not progress.enabled
    list(nsc.search_all({"_ns_type": "VendorSearchBasic"}, page_size=5, progress=progress))
    assert log.getvalue() == ""


def test_several_tasks_share_one_line_and_summaries_stay_above_it():
    terminal, report = io.StringIO(), io.StringIO()
    progress = Progress(terminal, enabled=True, interval=0)
    vendors, bills = progress.task("vendors"), progress.task("bills")
    vendors.update(done=100, total=200, detail="page 1/2")
    assert terminal.getvalue().endswith("\r\x1b[2Kvendors 100/200  bills 0/?")
    vendors.finish()
    progress.println("vendors: 200 records", report)
    assert report.getvalue() == "vendors: 200 records\n"
    assert terminal.getvalue().rsplit("\r", 1)[-1].startswith("\x1b[2Kbills [")  # the one left
    progress.close()
    assert terminal.getvalue().endswith("\r\x1b[2K")


def test_the_runner_writes_every_page_of_a_search_import(mock, tmp_path, capsys,
                                                         monkeypatch):
    from client.cli import main
    from mockserver.config import client_secrets, client_settings
    from tests.client_helpers import read_lines, write_json
    monkeypatch.setenv("NETSUITE_CLIENT_CACHE_DIR", str(tmp_path / "cache"))
    config = write_json(tmp_path / "settings.json", {
        **client_settings(mock.settings, mock.url),
        "import_configs": [{"master_data_name": "vendors", "payload": {
            "method_name": "search", "method_args": [{"_ns_type": "VendorSearchBasic"}],
            "method_headers": {"searchPreferences": {"pageSize": 5}}}}]})
    secrets = write_json(tmp_path / "secrets.json", client_secrets(mock.settings))
    status = main(["run", str(config), "--secrets", str(secrets), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert status == 0, out
    lines = read_lines(tmp_path / "out" / "vendors.jsonl")
    assert len(lines) == 12 and {line["_ns_type"] for line in lines} == {"Vendor"}
    assert "vendors: 12 records, 3 pages in " in out
    assert "1 of 1 done, 12 records imported, 3 requests (0 retried)" in out
