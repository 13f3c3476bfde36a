"""The dashboard in a real headless Chromium: a request just made shows up in the journal."""

from __future__ import annotations

import re
import shutil
import tempfile

import pytest

from mockserver.admin_client import MockAdmin
from tests.conftest import GET_VENDOR_101, envelope, passport_xml, post_soap

pytestmark = pytest.mark.server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a test dependency")

if not (CHROMIUM and CHROMEDRIVER):
    pytest.skip("needs Debian's chromium and chromium-driver (make test installs them when it "
                "can run apt-get)", allow_module_level=True)

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def text(driver, element_id: str) -> str:
    """What a part of the page shows, read in one step (the page refreshes every second);
    table cells separated by a space, as WebElement.text has them; "" for a part not shown
    (a journal entry's bodies before it is selected)."""
    shown = driver.execute_script(
        "const part = document.getElementById(arguments[0]); return part ? part.innerText : ''",
        element_id)
    return re.sub(r"[ \t]+", " ", shown)


def waiting(driver) -> WebDriverWait:
    return WebDriverWait(driver, 15, ignored_exceptions=(StaleElementReferenceException,))


def click_entry(driver, index: int) -> bool:
    """Click the journal row at ``index``; a row replaced mid-click is found again."""
    def clicked(d) -> bool:
        rows = d.find_elements(By.CSS_SELECTOR, "#journal tr.entry")
        if not rows:
            return False
        rows[index].click()
        return True
    return waiting(driver).until(clicked)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="netsuite-mock-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_dashboard_shows_a_request_just_made(mock, ns, browser):
    admin = MockAdmin(mock.url)
    admin.clear_journal()
    admin.add_rule({"name": "flaky customers", "record_type": "customer",
                    "action": {"kind": "fault", "fault": "UnexpectedErrorFault"}})
    try:
        browser.get(mock.url + "/__admin/ui")
        wait = waiting(browser)
        wait.until(lambda d: "requests in the journal" in text(d, "status"))
        assert "flaky customers" not in text(browser, "journal")

        ns.call("get", baseRef=ns.ref("vendor", "103"))
        with pytest.raises(Exception):
            ns.call("get", baseRef=ns.ref("customer", "150"))

        wait.until(lambda d: "customer" in text(d, "journal"))
        journal = text(browser, "journal")
        assert "get" in journal and "vendor" in journal and "success" in journal
        assert "fault" in journal and "UNEXPECTED_ERROR" in journal
        assert "flaky customers" in text(browser, "rules")
        assert "1234567_SB1" in text(browser, "governance")
        assert "netsuite-mock: enabled, 0 in flight, limit 5 (shared)" in \
            text(browser, "governance")
        assert "vendor" in text(browser, "records")
        assert "Success" in text(browser, "audit")

        # clicking an entry shows its bodies, secrets redacted
        click_entry(browser, -1)  # the oldest: the vendor get
        wait.until(lambda d: "Initech" in text(d, "detail-response"))
        assert "[redacted]" in text(browser, "detail-request")
    finally:
        admin.clear_rules()


def test_dashboard_shows_asynchronous_jobs(mock, ns, browser):
    job = ns.call("asyncGetList", baseRef=[ns.ref("vendor", "101"), ns.ref("vendor", "999")]) \
        .body.asyncStatusResult.jobId
    browser.get(mock.url + "/__admin/ui")
    waiting(browser).until(lambda d: "asyncGetList" in text(d, "jobs"))
    shown = text(browser, "jobs")
    assert job[-12:] in shown and "finishedWithErrors 100" in shown and "1234567_SB1" in shown


def test_dashboard_shows_the_trial_balance(mock, browser):
    browser.get(mock.url + "/__admin/ui")
    waiting(browser).until(lambda d: "Inventory Received Not Billed" in text(d, "ledger"))
    shown = text(browser, "ledger")
    # the demo's March in the US parent: receipt 401's widgets are not billed yet
    assert "Honeycomb Holdings Inc. Mar 2024 2100 Inventory Received Not Billed 125.00" in shown
    assert shown.count("difference 0.00") == len(MockAdmin(mock.url).ledger()["trialBalances"])


def test_dashboard_shows_no_credential_sent_in_unusual_xml(mock, browser):
    """A consumer key in CDATA and a token whose closing tag has a space (valid XML both)."""
    s = mock.settings
    passport = passport_xml(s).replace(
        f"<c:consumerKey>{s.consumer_key}</c:consumerKey>",
        f"<c:consumerKey><![CDATA[{s.consumer_key}]]></c:consumerKey>").replace(
        f"<c:token>{s.token_id}</c:token>", f"<c:token>{s.token_id}</c:token >")
    admin = MockAdmin(mock.url)
    admin.clear_journal()
    assert post_soap(mock, envelope(GET_VENDOR_101, passport)).status_code == 200
    browser.get(mock.url + "/__admin/ui")
    wait = waiting(browser)
    click_entry(browser, 0)
    wait.until(lambda d: "Acme Supplies" in text(d, "detail-response"))
    shown = text(browser, "detail-request")
    assert "[redacted]" in shown and "tokenPassport" in shown
    assert s.consumer_key not in shown and s.token_id not in shown


def test_dashboard_opened_with_the_token_works_on_a_protected_mock(browser):
    """The page takes ``?token=`` once and sends it as a header; the API takes it only so."""
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    with MockServer(MockSettings(port=0, seed="demo", admin_token="dash-token")) as server:
        browser.get(server.url + "/__admin/ui?token=dash-token")
        wait = waiting(browser)
        wait.until(lambda d: "requests in the journal" in text(d, "status"))
        wait.until(lambda d: "vendor" in text(d, "records"))
        assert "1234567_SB1" in text(browser, "governance")


def test_dashboard_shows_the_customer_case_of_a_scenario(browser):
    """tests/scenarios/third_bill_upsert_fails.toml: the failed upsert, the rule that made it
    fail, and which integration holds a slot while it happens."""
    import threading

    import zeep

    from mockserver.config import load_settings
    from mockserver.server import MockServer
    from tests.mockserver.domain.test_scenarios import SCENARIOS, signed_as

    settings = load_settings(config_file=str(SCENARIOS / "third_bill_upsert_fails.toml"),
                             environ={}, flags={"port": 0})
    with MockServer(settings) as server:
        wsdl_client = zeep.Client(server.wsdl_url)
        bills = signed_as(wsdl_client, server, "ck-bill-capture", "cs-bill-capture",
                          "tk-bill-capture", "ts-bill-capture")
        erp = signed_as(wsdl_client, server, "ck-erp-sync", "cs-erp-sync", "tk-erp-sync",
                        "ts-erp-sync")
        long_request = threading.Thread(target=erp.call, args=("getServerTime",))
        long_request.start()   # held for 4 s by the scenario's delay rule
        T = bills.type
        for n in range(1, 4):
            bills.call("upsert", record=T("ns21:VendorBill")(
                externalId=f"DASH-{n}", entity=bills.ref(internal_id="101"),
                expenseList=T("ns21:VendorBillExpenseList")(expense=[T("ns21:VendorBillExpense")(
                    account=bills.ref(internal_id="58"), amount=10.0 * n)])))
        browser.get(server.url + "/__admin/ui")
        wait = waiting(browser)
        wait.until(lambda d: "UNEXPECTED_ERROR" in text(d, "journal"))
        journal = text(browser, "journal")
        assert journal.count("Bill capture upsert vendorBill") == 3
        assert "third vendor-bill upsert of the day" in journal
        governance = text(browser, "governance")
        assert "Nightly ERP sync: enabled, 1 in flight" in governance, governance
        assert "third vendor-bill upsert of the day" in text(browser, "rules")
        long_request.join()


def message(driver) -> str:
    return text(driver, "message")


def click(driver, css: str) -> None:
    """Click an element of a table the page may rewrite meanwhile (found again if so)."""
    waiting(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, css).click() or True)


def fill(driver, element_id: str, value: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(value)


def test_dashboard_adds_switches_and_removes_fault_rules(mock, ns, browser):
    admin = MockAdmin(mock.url)
    admin.clear_rules()
    try:
        browser.get(mock.url + "/__admin/ui")
        wait = waiting(browser)
        wait.until(lambda d: "No fault rules. Add one" in text(d, "rules"))

        # a typo'd rule is refused with a suggestion, and nothing is added
        fill(browser, "rule-json", '{"name": "flaky gets", "operation": "gett", '
                                   '"action": {"kind": "fault", "fault": "UnexpectedErrorFault"}}')
        browser.find_element(By.ID, "add-rule").click()
        wait.until(lambda d: "refused" in message(d))
        assert "unknown operation 'gett' (did you mean 'get'" in message(browser)
        assert admin.rules() == []

        fill(browser, "rule-json", '{"name": "flaky gets", "operation": "get", '
                                   '"action": {"kind": "fault", "fault": "UnexpectedErrorFault"}}')
        browser.find_element(By.ID, "add-rule").click()
        wait.until(lambda d: "flaky gets" in text(d, "rules"))
        assert "added flaky gets" in message(browser)
        # not matched yet: said in the rules table and above the journal
        wait.until(lambda d: "matched no request yet: flaky gets" in text(d, "unmatched"))
        assert "0 (none yet)" in text(browser, "rules")

        with pytest.raises(Exception):
            ns.call("get", baseRef=ns.ref("vendor", "101"))
        wait.until(lambda d: "UNEXPECTED_ERROR" in text(d, "journal"))
        wait.until(lambda d: not d.find_element(By.ID, "unmatched").is_displayed())
        assert "(none yet)" not in text(browser, "rules")

        # switched off, the rule lets requests through; removed, the table says how to add one
        click(browser, "#rules input.rule-enabled")
        wait.until(lambda d: "flaky gets off" in message(d))
        wait.until(lambda d: not d.execute_script(
            "return document.querySelector('#rules input.rule-enabled').checked"))
        assert [r["enabled"] for r in admin.rules()] == [False]
        assert ns.call("get", baseRef=ns.ref("vendor", "101")).body.readResponse \
            .status.isSuccess
        click(browser, "#rules button.rule-remove")
        wait.until(lambda d: "No fault rules. Add one" in text(d, "rules"))
        assert admin.rules() == []
    finally:
        admin.clear_rules()


def test_dashboard_loads_a_scenario_file(mock, browser, tmp_path):
    admin = MockAdmin(mock.url)
    admin.clear_rules()
    rule = ('[[rules]]\nname = "slow searches"\noperation = "search"\n'
            'action = { kind = "delay", ms = 10 }\n')
    good, typo = tmp_path / "slow.toml", tmp_path / "typo.toml"
    good.write_text('seed = "demo"\n\n' + rule)
    typo.write_text(rule.replace('"search"', '"serch"'))
    try:
        browser.get(mock.url + "/__admin/ui")
        wait = waiting(browser)
        wait.until(lambda d: "No fault rules" in text(d, "rules"))
        browser.find_element(By.ID, "scenario-file").send_keys(str(typo))
        browser.find_element(By.ID, "load-scenario").click()
        wait.until(lambda d: "refused" in message(d))
        assert "[[rules]] number 1 ('slow searches'): unknown operation 'serch' (did you " \
               "mean 'search'" in message(browser)
        browser.find_element(By.ID, "scenario-file").send_keys(str(good))
        browser.find_element(By.ID, "load-scenario").click()
        wait.until(lambda d: "slow searches" in text(d, "rules"))
        assert "slow.toml: added 1 rule(s) (slow searches); seed take a restart" in \
            message(browser)
        assert [r["name"] for r in admin.rules()] == ["slow searches"]
    finally:
        admin.clear_rules()


def test_dashboard_resets_and_advances_the_clock(mock, ns, browser):
    admin = MockAdmin(mock.url)
    ns.call("get", baseRef=ns.ref("vendor", "101"))
    try:
        browser.get(mock.url + "/__admin/ui")
        wait = waiting(browser)
        wait.until(lambda d: "vendor" in text(d, "journal"))
        start = text(browser, "now")
        fill(browser, "advance-seconds", "86400")
        browser.find_element(By.ID, "advance").click()
        wait.until(lambda d: "Clock: now" in message(d))
        wait.until(lambda d: text(d, "now") != start)   # the page refreshes after saying so
        assert 86399 <= admin.advance_clock(0)["offsetSeconds"] <= 86401

        browser.find_element(By.ID, "reset").click()
        wait.until(lambda d: "Reset: 1234567_SB1:" in message(d))
        wait.until(lambda d: "0 requests in the journal" in text(d, "status"))
        assert admin.journal() == []
    finally:
        admin.reset_clock()


def test_dashboard_shows_bodies_pretty_printed_beside_the_selected_row(mock, ns, browser):
    admin = MockAdmin(mock.url)
    admin.clear_journal()
    for internal_id in ("101", "102", "103"):
        ns.call("get", baseRef=ns.ref("vendor", internal_id))
    browser.get(mock.url + "/__admin/ui")
    wait = waiting(browser)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#journal tr.entry")) == 3)
    click_entry(browser, 1)
    wait.until(lambda d: "readResponse" in text(d, "detail-response"))
    placed = browser.execute_script("""
        const detail = document.querySelector('#journal tr.detail-row');
        const box = detail.getBoundingClientRect(), row = document.querySelector(
            '#journal tr.selected').getBoundingClientRect();
        const panel = document.getElementById('journal-section').getBoundingClientRect();
        return {before: detail.previousElementSibling.className,
                visible: row.top >= panel.top && box.top < panel.bottom &&
                         box.top < window.innerHeight,
                response: document.getElementById('detail-response').textContent,
                request: document.getElementById('detail-request').textContent};""")
    assert placed["before"] == "entry selected" and placed["visible"]
    lines = placed["response"].splitlines()
    assert len(lines) > 10   # one element a line, indented by depth
    assert any(line.startswith("    <") for line in lines)
    assert any(line.strip().startswith("<platformCore:status") or "status" in line
               for line in lines)
    assert "\n  <" in placed["request"] and "[redacted]" in placed["request"]


@pytest.mark.parametrize("width", [1280, 1400, 1920])
def test_dashboard_tables_fit_their_panels(mock, ns, browser, width, tmp_path):
    """No panel scrolls sideways and the page does not either; codes are shown whole."""
    admin = MockAdmin(mock.url)
    admin.add_rule({"name": "a rule with a long name to see the table wrap it nicely",
                    "record_type": ["customer", "vendor", "vendorBill"],
                    "action": {"kind": "status", "code": "INSUFFICIENT_PERMISSION",
                               "message": "Permission Violation: you need a higher role"}})
    try:
        for internal_id in ("101", "150"):
            ns.call("get", baseRef=ns.ref("vendor", internal_id))
        ns.call("getList", baseRef=[ns.ref("customer", "150"), ns.ref("vendorBill", "1")])
        browser.set_window_size(width, 1000)
        browser.get(mock.url + "/__admin/ui")
        waiting(browser).until(lambda d: "INSUFFICIENT_PERMISSION" in text(d, "journal"))
        click_entry(browser, 0)
        waiting(browser).until(lambda d: "Response" in text(d, "journal"))
        overflow = browser.execute_script("""
            const wide = el => el.scrollWidth > el.clientWidth;
            const out = [...document.querySelectorAll('section')].filter(wide).map(s => s.id);
            if (wide(document.documentElement)) out.push('page');
            return out;""")
        assert overflow == []
        if width == 1400:
            shot = tmp_path / "dashboard-1400.png"
            assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    finally:
        admin.clear_rules()
        browser.set_window_size(1280, 1000)
