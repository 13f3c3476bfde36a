"""Builds the reference cassettes in this folder (run: ``python recordings/build.py``).

None of these interactions was recorded from a NetSuite account: no sandbox is reachable from
where they were written. Each one is written by hand after NetSuite's documented SuiteTalk SOAP
2024_1 wire format, as collected (with sources) in ``../shared/reference/netsuite-soap-2024_1.md``:
envelopes, namespaces and prefixes as NetSuite writes them, the ``documentInfo``/``nsId`` header,
status and statusDetail shapes, read/write/search/getAll response shapes, paging, and the fault
XML. Record values are illustrative. Each cassette's ``provenance`` block says which sections
its shapes come from.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from contracts.cassette import interaction_dict, save  # noqa: E402

VERSION = "2024_1"
SERVICE = "https://account-id.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1"
NS = {
    "msgs": f"urn:messages_{VERSION}.platform.webservices.netsuite.com",
    "core": f"urn:core_{VERSION}.platform.webservices.netsuite.com",
    "common": f"urn:common_{VERSION}.platform.webservices.netsuite.com",
    "faults": f"urn:faults_{VERSION}.platform.webservices.netsuite.com",
    "listRel": f"urn:relationships_{VERSION}.lists.webservices.netsuite.com",
    "listAcct": f"urn:accounting_{VERSION}.lists.webservices.netsuite.com",
    "tranPurch": f"urn:purchases_{VERSION}.transactions.webservices.netsuite.com",
}
ENVELOPE = ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">')
HOSTNAME = "partners117.prod-phx-na9.core.ns.internal"   # reference §2.1 (2024_1 capture)
REFERENCE = "../shared/reference/netsuite-soap-2024_1.md"
COMMON_SOURCES = [
    f"{REFERENCE} §1.1: the tokenPassport header (children in the core namespace, as "
    f"schema-driven clients such as zeep send them; values scrubbed)",
    f"{REFERENCE} §3.1: the documentInfo header and its nsId (format INFERRED there; "
    f"ACCOUNT_ID is the scrubbed account alias)",
]


# -- requests --------------------------------------------------------------------------------------
def passport() -> str:
    return (f'<ns0:tokenPassport xmlns:ns0="{NS["msgs"]}" xmlns:ns1="{NS["core"]}">'
            "<ns1:account>ACCOUNT_ID</ns1:account>"
            "<ns1:consumerKey>[consumerKey]</ns1:consumerKey>"
            "<ns1:token>[token]</ns1:token>"
            "<ns1:nonce>[nonce]</ns1:nonce>"
            "<ns1:timestamp>[timestamp]</ns1:timestamp>"
            '<ns1:signature algorithm="HMAC_SHA256">[signature]</ns1:signature>'
            "</ns0:tokenPassport>")


def request(body: str, extra_header: str = "") -> str:
    return ("<?xml version='1.0' encoding='utf-8'?>\n"
            '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/">'
            f"<soap-env:Header>{passport()}{extra_header}</soap-env:Header>"
            f"<soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>")


# -- responses -------------------------------------------------------------------------------------
def response(ns_id: str, body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ENVELOPE + "\n"
            " <soapenv:Header>\n"
            f'  <platformMsgs:documentInfo xmlns:platformMsgs="{NS["msgs"]}">\n'
            f"   <platformMsgs:nsId>{ns_id}</platformMsgs:nsId>\n"
            "  </platformMsgs:documentInfo>\n"
            " </soapenv:Header>\n"
            " <soapenv:Body>\n" + body + "\n </soapenv:Body>\n</soapenv:Envelope>\n")


def fault(faultstring: str, element: str, code: str, message: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ENVELOPE + "\n"
            " <soapenv:Body>\n"
            "  <soapenv:Fault>\n"
            "   <faultcode>soapenv:Server.userException</faultcode>\n"
            f"   <faultstring>{faultstring}</faultstring>\n"
            "   <detail>\n"
            f'    <platformFaults:{element} xmlns:platformFaults="{NS["faults"]}">\n'
            f"     <platformFaults:code>{code}</platformFaults:code>\n"
            f"     <platformFaults:message>{message}</platformFaults:message>\n"
            f"    </platformFaults:{element}>\n"
            f'    <ns1:hostname xmlns:ns1="http://xml.apache.org/axis/">{HOSTNAME}</ns1:hostname>\n'
            "   </detail>\n"
            "  </soapenv:Fault>\n"
            " </soapenv:Body>\n"
            "</soapenv:Envelope>\n")


def ns_id(n: int) -> str:
    """An nsId in the format the reference infers (§3.1), for the aliased account."""
    return f"WEBSERVICES_ACCOUNT_ID_03012024{n:019d}_{(n * 2654435761) % 16**10:010x}"


def exchange(action: str, request_body: str, response_body: str, status: int = 200) -> dict:
    return interaction_dict(
        "POST", SERVICE, {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'},
        request_body.encode(), status, "OK" if status == 200 else "Internal Server Error",
        {"Content-Type": "text/xml; charset=utf-8"}, response_body.encode())


def provenance(description: str, sources: list[str]) -> dict:
    return {"source": "synthetic",
            "recorded_from_live_account": False,
            "description": description,
            "built_by": "recordings/build.py (by hand, from NetSuite's documentation; no "
                        "NetSuite account was involved)",
            "built_from": COMMON_SOURCES + sources,
            "values": "illustrative: names, ids, amounts and dates are made up"}


def ref(tag: str, internal_id: str, name: str, extra: str = "") -> str:
    return (f'<{tag} internalId="{internal_id}"{extra}>'
            f"<platformCore:name>{name}</platformCore:name></{tag}>")


# -- the flows ---------------------------------------------------------------------------------
CURRENCIES = [("1", "USD", "US Dollar", "true", "$", "1.0"),
              ("2", "EUR", "Euro", "false", "€", "1.0842"),
              ("4", "CAD", "Canadian Dollar", "false", "CA$", "0.7391")]


def getall_currency() -> tuple[list[dict], dict]:
    records = "\n".join(
        f'     <platformCore:record internalId="{i}" xsi:type="listAcct:Currency" '
        f'xmlns:listAcct="{NS["listAcct"]}">\n'
        f"      <listAcct:name>{name}</listAcct:name>\n"
        f"      <listAcct:symbol>{symbol}</listAcct:symbol>\n"
        f"      <listAcct:isBaseCurrency>{base}</listAcct:isBaseCurrency>\n"
        f"      <listAcct:isInactive>false</listAcct:isInactive>\n"
        f"      <listAcct:displaySymbol>{display}</listAcct:displaySymbol>\n"
        f"      <listAcct:exchangeRate>{rate}</listAcct:exchangeRate>\n"
        f"     </platformCore:record>"
        for i, symbol, name, base, display, rate in CURRENCIES)
    body = (f'  <getAllResponse xmlns="{NS["msgs"]}">\n'
            f'   <platformCore:getAllResult xmlns:platformCore="{NS["core"]}">\n'
            '    <platformCore:status isSuccess="true"/>\n'
            f"    <platformCore:totalRecords>{len(CURRENCIES)}</platformCore:totalRecords>\n"
            "    <platformCore:recordList>\n" + records + "\n"
            "    </platformCore:recordList>\n"
            "   </platformCore:getAllResult>\n"
            "  </getAllResponse>")
    req = request(f'<ns0:getAll xmlns:ns0="{NS["msgs"]}">'
                  '<ns0:record recordType="currency"/></ns0:getAll>')
    return [exchange("getAll", req, response(ns_id(1), body))], provenance(
        "getAll of the currency list: every currency, no paging",
        [f"{REFERENCE} §3.5: getAll request (GetAllRecord recordType) and "
         f"getAllResponse/platformCore:getAllResult (status, totalRecords, recordList), no "
         f"paging (NSDOCS section_N3489077)"])


VENDORS = [("311", "Arbor Office Supply"), ("312", "Birch Logistics LLC"),
           ("313", "Cedar Consulting Group"), ("314", "Dogwood Print Works"),
           ("315", "Elm Street Catering"), ("316", "Fir Facilities Services"),
           ("317", "Ginkgo Software Ltd")]


def vendor_record(internal_id: str, name: str, index: int) -> str:
    email = name.split()[0].lower() + "@example.com"
    return (f'     <platformCore:record internalId="{internal_id}" externalId="VEND-{index:03d}" '
            f'xsi:type="listRel:Vendor" xmlns:listRel="{NS["listRel"]}">\n'
            f"      <listRel:entityId>{name}</listRel:entityId>\n"
            "      <listRel:isPerson>false</listRel:isPerson>\n"
            f"      <listRel:companyName>{name}</listRel:companyName>\n"
            f"      <listRel:phone>555-01{index:02d}</listRel:phone>\n"
            f"      <listRel:email>{email}</listRel:email>\n"
            "      <listRel:isInactive>false</listRel:isInactive>\n"
            "      <listRel:lastModifiedDate>2024-02-12T09:14:03.000-08:00"
            "</listRel:lastModifiedDate>\n"
            "      <listRel:dateCreated>2023-06-01T10:00:00.000-07:00</listRel:dateCreated>\n"
            "      " + ref("listRel:subsidiary", "1", "Parent Company") + "\n"
            f"      <listRel:legalName>{name}</listRel:legalName>\n"
            "      " + ref("listRel:currency", "1", "US Dollar") + "\n"
            "     </platformCore:record>")


def vendor_search_pages() -> tuple[list[dict], dict]:
    search_id = ns_id(2)
    prefs = (f'<ns0:searchPreferences xmlns:ns0="{NS["msgs"]}"><ns0:bodyFieldsOnly>true'
             "</ns0:bodyFieldsOnly><ns0:pageSize>5</ns0:pageSize></ns0:searchPreferences>")
    search = request(
        f'<ns0:search xmlns:ns0="{NS["msgs"]}"><ns0:searchRecord '
        f'xmlns:ns1="{NS["common"]}" xmlns:ns2="{NS["core"]}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ns1:VendorSearchBasic">'
        '<ns1:isInactive><ns2:searchValue>false</ns2:searchValue></ns1:isInactive>'
        "</ns0:searchRecord></ns0:search>", prefs)

    def page(index: int, vendors) -> str:
        records = "\n".join(vendor_record(i, n, VENDORS.index((i, n)) + 1) for i, n in vendors)
        return (f"    <platformCore:totalRecords>{len(VENDORS)}</platformCore:totalRecords>\n"
                "    <platformCore:pageSize>5</platformCore:pageSize>\n"
                "    <platformCore:totalPages>2</platformCore:totalPages>\n"
                f"    <platformCore:pageIndex>{index}</platformCore:pageIndex>\n"
                f"    <platformCore:searchId>{search_id}</platformCore:searchId>\n"
                "    <platformCore:recordList>\n" + records + "\n"
                "    </platformCore:recordList>\n")

    first = (f'  <searchResponse xmlns="{NS["msgs"]}">\n'
             f'   <platformCore:searchResult xmlns:platformCore="{NS["core"]}">\n'
             '    <platformCore:status isSuccess="true"/>\n' + page(1, VENDORS[:5]) +
             "   </platformCore:searchResult>\n  </searchResponse>")
    more = request(f'<ns0:searchMoreWithId xmlns:ns0="{NS["msgs"]}"><ns0:searchId>{search_id}'
                   "</ns0:searchId><ns0:pageIndex>2</ns0:pageIndex></ns0:searchMoreWithId>",
                   prefs)
    second = (f'  <searchMoreWithIdResponse xmlns="{NS["msgs"]}">\n'
              f'   <platformCore:searchResult xmlns:platformCore="{NS["core"]}">\n'
              '    <platformCore:status isSuccess="true"/>\n' + page(2, VENDORS[5:]) +
              "   </platformCore:searchResult>\n  </searchMoreWithIdResponse>")
    return [exchange("search", search, response(search_id, first)),
            exchange("searchMoreWithId", more, response(ns_id(3), second))], provenance(
        "a vendor search (isInactive false) with 5 records a page: page 1 by search, page 2 "
        "by searchMoreWithId; 7 vendors in all",
        [f"{REFERENCE} §3.5: searchResult (status, totalRecords, pageSize, totalPages, "
         f"pageIndex, searchId, recordList), the searchId being the response's nsId",
         f"{REFERENCE} §4: SearchPreferences (bodyFieldsOnly, pageSize 5-1000), "
         f"searchMoreWithId(searchId, pageIndex) with 1-based pages, SearchBooleanField "
         f"without operator"])


# What a successful write's status holds since the 2018_2 endpoint (captures: NetSweet
# add/add_file.xml 2020_2, Salto soap_responses.ts addList/updateList 2020_2; docs/fidelity.md).
AFTER_SUBMIT_OK = ("<platformCore:statusDetail>\n"
                   " <platformCore:afterSubmitFailed>false</platformCore:afterSubmitFailed>\n"
                   "</platformCore:statusDetail>\n")
AFTER_SUBMIT_SOURCE = ("captures of successful adds and list writes on 2018_2+ endpoints: the "
                       "status holds a statusDetail with afterSubmitFailed false "
                       "(docs/fidelity.md)")


def vendor_bill_upsert_then_get() -> tuple[list[dict], dict]:
    tran = NS["tranPurch"]
    upsert = request(
        f'<ns0:upsert xmlns:ns0="{NS["msgs"]}"><ns0:record xmlns:ns1="{tran}" '
        f'xmlns:ns2="{NS["core"]}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:type="ns1:VendorBill" externalId="AP-2024-0042">'
        '<ns1:entity internalId="318" type="vendor"/>'
        "<ns1:tranDate>2024-03-01T00:00:00-08:00</ns1:tranDate>"
        "<ns1:tranId>HWC-7781</ns1:tranId>"
        "<ns1:memo>March facilities invoice</ns1:memo>"
        "<ns1:expenseList>"
        '<ns1:expense><ns1:account internalId="67"/><ns1:amount>1200.0</ns1:amount>'
        "<ns1:memo>Cleaning, March</ns1:memo></ns1:expense>"
        '<ns1:expense><ns1:account internalId="68"/><ns1:amount>349.5</ns1:amount>'
        "<ns1:memo>Window repair</ns1:memo></ns1:expense>"
        "</ns1:expenseList></ns0:record></ns0:upsert>")
    written = (f'  <upsertResponse xmlns="{NS["msgs"]}">\n'
               "   <writeResponse>\n"
               f'    <platformCore:status isSuccess="true" xmlns:platformCore="{NS["core"]}">\n'
               + textwrap.indent(AFTER_SUBMIT_OK, " " * 5) +
               "    </platformCore:status>\n"
               '    <baseRef internalId="5512" externalId="AP-2024-0042" type="vendorBill" '
               f'xsi:type="platformCore:RecordRef" xmlns:platformCore="{NS["core"]}"/>\n'
               "   </writeResponse>\n"
               "  </upsertResponse>")
    get = request(f'<ns0:get xmlns:ns0="{NS["msgs"]}"><ns0:baseRef xmlns:ns1="{NS["core"]}" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" internalId="5512" '
                  'type="vendorBill" xsi:type="ns1:RecordRef"/></ns0:get>')
    read = (f'  <getResponse xmlns="{NS["msgs"]}">\n'
            "   <readResponse>\n"
            f'    <platformCore:status isSuccess="true" xmlns:platformCore="{NS["core"]}"/>\n'
            f'    <record internalId="5512" externalId="AP-2024-0042" xsi:type="tranPurch:VendorBill" '
            f'xmlns:tranPurch="{tran}" xmlns:platformCore="{NS["core"]}">\n'
            "     <tranPurch:createdDate>2024-03-04T11:02:17.000-08:00</tranPurch:createdDate>\n"
            "     <tranPurch:lastModifiedDate>2024-03-04T11:02:17.000-08:00"
            "</tranPurch:lastModifiedDate>\n"
            "     " + ref("tranPurch:entity", "318", "Hawthorn Window Cleaning") + "\n"
            "     " + ref("tranPurch:subsidiary", "1", "Parent Company") + "\n"
            "     <tranPurch:tranDate>2024-03-01T00:00:00.000-08:00</tranPurch:tranDate>\n"
            "     <tranPurch:exchangeRate>1.0</tranPurch:exchangeRate>\n"
            "     <tranPurch:tranId>HWC-7781</tranPurch:tranId>\n"
            "     <tranPurch:userTotal>1549.5</tranPurch:userTotal>\n"
            "     <tranPurch:memo>March facilities invoice</tranPurch:memo>\n"
            "     " + ref("tranPurch:currency", "1", "US Dollar") + "\n"
            "     <tranPurch:status>Open</tranPurch:status>\n"
            "     <tranPurch:expenseList>\n"
            "      <tranPurch:expense>\n"
            "       <tranPurch:line>1</tranPurch:line>\n"
            "       " + ref("tranPurch:account", "67", "6140 Janitorial Services") + "\n"
            "       <tranPurch:amount>1200.0</tranPurch:amount>\n"
            "       <tranPurch:memo>Cleaning, March</tranPurch:memo>\n"
            "      </tranPurch:expense>\n"
            "      <tranPurch:expense>\n"
            "       <tranPurch:line>2</tranPurch:line>\n"
            "       " + ref("tranPurch:account", "68", "6150 Repairs and Maintenance") + "\n"
            "       <tranPurch:amount>349.5</tranPurch:amount>\n"
            "       <tranPurch:memo>Window repair</tranPurch:memo>\n"
            "      </tranPurch:expense>\n"
            "     </tranPurch:expenseList>\n"
            "    </record>\n"
            "   </readResponse>\n"
            "  </getResponse>")
    return [exchange("upsert", upsert, response(ns_id(4), written)),
            exchange("get", get, response(ns_id(5), read))], provenance(
        "upsert of a vendor bill by externalId (two expense lines), then a get of the bill: "
        "line numbers, the total, the subsidiary and currency sourced from the vendor",
        [f"{REFERENCE} §3.3: writeResponse (status, baseRef RecordRef with internalId, "
         f"externalId, type)",
         AFTER_SUBMIT_SOURCE,
         f"{REFERENCE} §3.2: getResponse/readResponse (status, record with xsi:type), "
         f"references with platformCore:name",
         "dates in the account's time zone (America/Los_Angeles), as NetSuite writes them"])


def missing_record() -> tuple[list[dict], dict]:
    get = request(f'<ns0:get xmlns:ns0="{NS["msgs"]}"><ns0:baseRef xmlns:ns1="{NS["core"]}" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" internalId="404040" '
                  'type="vendor" xsi:type="ns1:RecordRef"/></ns0:get>')
    body = (f'  <getResponse xmlns="{NS["msgs"]}">\n'
            "   <readResponse>\n"
            f'    <platformCore:status isSuccess="false" xmlns:platformCore="{NS["core"]}">\n'
            '     <platformCore:statusDetail type="ERROR">\n'
            "      <platformCore:code>RCRD_DSNT_EXIST</platformCore:code>\n"
            "      <platformCore:message>That record does not exist.</platformCore:message>\n"
            "     </platformCore:statusDetail>\n"
            "    </platformCore:status>\n"
            "   </readResponse>\n"
            "  </getResponse>")
    return [exchange("get", get, response(ns_id(6), body))], provenance(
        "a get of a vendor that does not exist: a failed status (HTTP 200), no record",
        [f"{REFERENCE} §3.2: a failed read has a status with isSuccess false and a "
         f"statusDetail, and no record",
         f"{REFERENCE} §3.6: RCRD_DSNT_EXIST, 'That record does not exist.' (the {{1}} "
         f"suffix of the error table left empty)"])


def invalid_login() -> tuple[list[dict], dict]:
    get = request(f'<ns0:getServerTime xmlns:ns0="{NS["msgs"]}"/>')
    body = fault("Invalid login attempt.", "invalidCredentialsFault", "USER_ERROR",
                 "Invalid login attempt.")
    return [exchange("getServerTime", get, body, status=500)], provenance(
        "a request whose TokenPassport NetSuite refuses (the signature, scrubbed here, was "
        "wrong): NetSuite's one invalid-login fault",
        [f"{REFERENCE} §2.1: the invalid-login fault as captured from a 2024_1 account "
         f"(merge.dev blog): faultcode soapenv:Server.userException, invalidCredentialsFault, "
         f"USER_ERROR, 'Invalid login attempt.', ns1:hostname, no SOAP header, HTTP 500",
         f"{REFERENCE} §1.4: every token-based-authentication failure is this same fault"])


def concurrency_fault() -> tuple[list[dict], dict]:
    get = request(f'<ns0:get xmlns:ns0="{NS["msgs"]}"><ns0:baseRef xmlns:ns1="{NS["core"]}" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" internalId="311" '
                  'type="vendor" xsi:type="ns1:RecordRef"/></ns0:get>')
    message = "SuiteTalk concurrent request limit exceeded. Request blocked."
    body = fault(message, "exceededConcurrentRequestLimitFault", "WS_REQUEST_BLOCKED", message)
    return [exchange("get", get, body, status=500)], provenance(
        "a get turned away because the account's concurrency limit was reached (token-based "
        "authentication)",
        [f"{REFERENCE} §2.2: ExceededConcurrentRequestLimitFault / WS_REQUEST_BLOCKED for "
         f"TBA and its message (CONFIRMED); the fault element's XML is the reference's "
         f"reconstruction (INFERRED there: no verbatim capture exists)"])


def addlist_mixed() -> tuple[list[dict], dict]:
    rel = NS["listRel"]

    def vendor(fields: str) -> str:
        return (f'<ns0:record xmlns:ns1="{rel}" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ns1:Vendor">'
                f"{fields}</ns0:record>")
    req = request(
        f'<ns0:addList xmlns:ns0="{NS["msgs"]}">'
        + vendor('<ns1:companyName>Juniper Janitorial</ns1:companyName>'
                 '<ns1:subsidiary internalId="1"/>')
        + vendor('<ns1:companyName>Kapok Couriers</ns1:companyName>'
                 '<ns1:subsidiary internalId="99"/>')
        + vendor('<ns1:email>ap@larch.example.com</ns1:email><ns1:subsidiary internalId="1"/>')
        + "</ns0:addList>")

    def failed(code: str, message: str) -> str:
        return ("   <writeResponse>\n"
                '    <platformCore:status isSuccess="false">\n'
                '     <platformCore:statusDetail type="ERROR">\n'
                f"      <platformCore:code>{code}</platformCore:code>\n"
                f"      <platformCore:message>{message}</platformCore:message>\n"
                "     </platformCore:statusDetail>\n"
                "    </platformCore:status>\n"
                "   </writeResponse>\n")
    body = (f'  <addListResponse xmlns="{NS["msgs"]}">\n'
            f'   <writeResponseList xmlns:platformCore="{NS["core"]}">\n'
            '    <platformCore:status isSuccess="true"/>\n'
            "    <writeResponse>\n"
            '     <platformCore:status isSuccess="true">\n'
            + textwrap.indent(AFTER_SUBMIT_OK, " " * 6) +
            "     </platformCore:status>\n"
            '     <baseRef internalId="319" type="vendor" xsi:type="platformCore:RecordRef"/>\n'
            "    </writeResponse>\n"
            + failed("INVALID_KEY_OR_REF", "Invalid subsidiary reference key 99.")
            + failed("USER_ERROR", "Please enter value(s) for: Company Name")
            + "   </writeResponseList>\n  </addListResponse>")
    return [exchange("addList", req, response(ns_id(7), body))], provenance(
        "addList of three vendors: the first is added, the second names a subsidiary that "
        "does not exist, the third has no company name; one result per record, in order",
        [f"{REFERENCE} §3.4: writeResponseList with a list-level status, then one "
         f"writeResponse per record in request order; a failed add has no baseRef",
         AFTER_SUBMIT_SOURCE,
         f"{REFERENCE} §3.6: INVALID_KEY_OR_REF 'Invalid {{1}} reference key {{2}}.', "
         f"USER_ERROR 'Please enter value(s) for: …'"])


ORACLE_ASYNC = ("Oracle's SuiteTalk documentation, 'Asynchronous Request Processing' "
                "(section_3770809638) and 'Checking the Status of an Asynchronous Job' "
                "(section_3771741984)")


def async_get_list() -> tuple[list[dict], dict]:
    job = "ASYNCWEBSERVICES_ACCOUNT_ID_030120240000000000000000042_4bee0685"
    customers = [("87", "Fjord Fisheries", "ap@fjord.example.com"),
                 ("176", "Gannet Glassworks", "billing@gannet.example.com")]
    submit = request(f'<ns0:asyncGetList xmlns:ns0="{NS["msgs"]}" xmlns:ns1="{NS["core"]}" '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                     + "".join(f'<ns0:baseRef internalId="{i}" type="customer" '
                               'xsi:type="ns1:RecordRef"/>' for i, _, _ in customers)
                     + "</ns0:asyncGetList>")

    def status(element: str, state: str, done: str) -> str:
        return (f'  <{element} xmlns="{NS["msgs"]}">\n'
                f'   <asyncStatusResult xmlns="{NS["core"]}">\n'
                f"    <jobId>{job}</jobId>\n"
                f"    <status>{state}</status>\n"
                f"    <percentCompleted>{done}</percentCompleted>\n"
                "    <estRemainingDuration>0.0</estRemainingDuration>\n"
                f"   </asyncStatusResult>\n  </{element}>")
    check = request(f'<ns0:checkAsyncStatus xmlns:ns0="{NS["msgs"]}">'
                    f"<ns0:jobId>{job}</ns0:jobId></ns0:checkAsyncStatus>")
    result = request(f'<ns0:getAsyncResult xmlns:ns0="{NS["msgs"]}"><ns0:jobId>{job}'
                     "</ns0:jobId><ns0:pageIndex>1</ns0:pageIndex></ns0:getAsyncResult>")
    reads = "".join(
        "     <platformMsgs:readResponse>\n"
        '      <platformCore:status isSuccess="true"/>\n'
        f'      <platformMsgs:record internalId="{i}" xsi:type="listRel:Customer" '
        f'xmlns:listRel="{NS["listRel"]}">\n'
        f"       <listRel:entityId>{name}</listRel:entityId>\n"
        "       <listRel:isPerson>false</listRel:isPerson>\n"
        f"       <listRel:companyName>{name}</listRel:companyName>\n"
        f"       <listRel:email>{email}</listRel:email>\n"
        "       <listRel:isInactive>false</listRel:isInactive>\n"
        "       <listRel:dateCreated>2024-02-12T09:30:00.000-08:00</listRel:dateCreated>\n"
        + ref("listRel:subsidiary", "1", "Parent Company") + "\n"
        + ref("listRel:currency", "1", "USD") + "\n"
        + "       <listRel:lastModifiedDate>2024-02-12T09:30:00.000-08:00"
          "</listRel:lastModifiedDate>\n"
        "      </platformMsgs:record>\n"
        "     </platformMsgs:readResponse>\n" for i, name, email in customers)
    body = (f'  <getAsyncResultResponse xmlns="{NS["msgs"]}">\n'
            f'   <platformMsgs:asyncResult xmlns:platformMsgs="{NS["msgs"]}" '
            f'xmlns:platformCore="{NS["core"]}" xsi:type="platformMsgs:AsyncGetListResult">\n'
            "    <platformMsgs:readResponseList>\n"
            '     <platformCore:status isSuccess="true"/>\n' + reads
            + "    </platformMsgs:readResponseList>\n"
            "   </platformMsgs:asyncResult>\n  </getAsyncResultResponse>")
    return [exchange("asyncGetList", submit,
                     response(ns_id(8), status("asyncGetListResponse", "pending", "0.0"))),
            exchange("checkAsyncStatus", check,
                     response(ns_id(9), status("checkAsyncStatusResponse", "pending", "0.0"))),
            exchange("checkAsyncStatus", check,
                     response(ns_id(10), status("checkAsyncStatusResponse", "finished",
                                                "100.0"))),
            exchange("getAsyncResult", result, response(ns_id(11), body))], provenance(
        "asyncGetList of two customers: the job id answered pending, a status check while it "
        "is queued, one after it finished, then its result: the customers as getList reads "
        "them",
        [f"{ORACLE_ASYNC}: the asyncGetList request for customers 87 and 176, the "
         f"asyncGetListResponse and checkAsyncStatusResponse (jobId, pending, 0.0, 0.0) and "
         f"the job id's shape (ASYNCWEBSERVICES_, the account, digits, hex)",
         "NetSuite's platform.messages and platform.core XSDs (2024_1): finished among the "
         "AsyncStatusType values, getAsyncResult(jobId, pageIndex), getAsyncResultResponse's "
         "asyncResult of type AsyncGetListResult holding a readResponseList",
         f"{REFERENCE} §3.2 and §3.4: readResponse and readResponseList (list-level status, "
         f"one readResponse per reference, in order)"])


FLOWS = {"getall-currency.yaml": getall_currency,
         "vendor-search-pages.yaml": vendor_search_pages,
         "vendor-bill-upsert-then-get.yaml": vendor_bill_upsert_then_get,
         "missing-record.yaml": missing_record,
         "invalid-login.yaml": invalid_login,
         "concurrency-fault.yaml": concurrency_fault,
         "addlist-mixed.yaml": addlist_mixed,
         "async-get-list.yaml": async_get_list}


def main() -> None:
    for name, build in FLOWS.items():
        interactions, about = build()
        save(ROOT / name, interactions, about)
        print(f"wrote recordings/{name} ({len(interactions)} interaction(s))")


if __name__ == "__main__":
    main()
