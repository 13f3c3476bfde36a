"""PHP's SoapClient (ext-soap), which reads answers with its own parser and no zeep, loads the
mock's WSDL and reads a ``get`` answer: vendor 101 with its type, fields and references.
Skipped where ``php`` with the soap extension is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

PHP = shutil.which("php")


def _has_soap() -> bool:
    if PHP is None:
        return False
    modules = subprocess.run([PHP, "-m"], capture_output=True, text=True, check=False).stdout
    return "soap" in modules.split()


pytestmark = pytest.mark.skipif(not _has_soap(),
                                reason="php with the soap extension is not installed")

# A TokenPassport signed as NetSuite verifies it (HMAC-SHA256 over account&consumerKey&token&
# nonce&timestamp, keyed by consumerSecret&tokenSecret), sent as a raw header.
GET_VENDOR = r"""<?php
[$wsdl, $account, $ck, $cs, $tid, $ts] = array_slice($argv, 1);
$nonce = bin2hex(random_bytes(10)); $time = time();
$sig = base64_encode(hash_hmac("sha256", "$account&$ck&$tid&$nonce&$time", "$cs&$ts", true));
$core = "urn:core_2024_1.platform.webservices.netsuite.com";
$msgs = "urn:messages_2024_1.platform.webservices.netsuite.com";
$passport = "<m:tokenPassport xmlns:m=\"$msgs\" xmlns:c=\"$core\"><c:account>$account</c:account>"
  . "<c:consumerKey>$ck</c:consumerKey><c:token>$tid</c:token><c:nonce>$nonce</c:nonce>"
  . "<c:timestamp>$time</c:timestamp><c:signature algorithm=\"HMAC-SHA256\">$sig</c:signature>"
  . "</m:tokenPassport>";
$client = new SoapClient($wsdl, ["exceptions" => true, "cache_wsdl" => WSDL_CACHE_NONE]);
$client->__setSoapHeaders(new SoapHeader($msgs, "tokenPassport", new SoapVar($passport, XSD_ANYXML)));
$ref = new SoapVar(["internalId" => "101", "type" => "vendor"], SOAP_ENC_OBJECT, "RecordRef", $core);
$read = $client->get(["baseRef" => $ref])->readResponse;
echo json_encode(["isSuccess" => $read->status->isSuccess, "internalId" => $read->record->internalId,
                  "companyName" => $read->record->companyName,
                  "subsidiary" => $read->record->subsidiary->name]);
"""


def test_php_soapclient_reads_a_get_answer(mock, tmp_path):
    script = tmp_path / "get_vendor.php"
    script.write_text(GET_VENDOR)
    s = mock.settings
    done = subprocess.run([PHP, str(script), mock.wsdl_url, s.account, s.consumer_key,
                           s.consumer_secret, s.token_id, s.token_secret],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    assert json.loads(done.stdout) == {"isSuccess": True, "internalId": "101",
                                       "companyName": "Acme Supplies Inc.",
                                       "subsidiary": "Honeycomb Holdings Inc."}
