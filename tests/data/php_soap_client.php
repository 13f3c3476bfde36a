<?php
// A NetSuite client that is not the project's: PHP's SoapClient, WSDL mode, TBA signed here.
[$_, $wsdl, $account, $ck, $cs, $tk, $ts] = $argv;
$client = new SoapClient($wsdl, ["trace" => 1, "cache_wsdl" => WSDL_CACHE_NONE,
                                 "exceptions" => true, "features" => SOAP_SINGLE_ELEMENT_ARRAYS]);
$core = "urn:core_2024_1.platform.webservices.netsuite.com";
$msgs = "urn:messages_2024_1.platform.webservices.netsuite.com";
function passport($account, $ck, $cs, $tk, $ts, $core, $msgs) {
    $nonce = bin2hex(random_bytes(10));
    $time = time();
    $sig = base64_encode(hash_hmac("sha256", "$account&$ck&$tk&$nonce&$time", "$cs&$ts", true));
    $xml = "<ns1:tokenPassport xmlns:ns1=\"$msgs\" xmlns:c=\"$core\"><c:account>$account</c:account>"
         . "<c:consumerKey>$ck</c:consumerKey><c:token>$tk</c:token><c:nonce>$nonce</c:nonce>"
         . "<c:timestamp>$time</c:timestamp><c:signature algorithm=\"HMAC-SHA256\">$sig</c:signature>"
         . "</ns1:tokenPassport>";
    return new SoapHeader($msgs, "tokenPassport", new SoapVar($xml, XSD_ANYXML));
}
$ref = new SoapVar(["internalId" => "101", "type" => "vendor"], SOAP_ENC_OBJECT, "RecordRef", $core);
$r = $client->__soapCall("get", [["baseRef" => $ref]], null, passport($account, $ck, $cs, $tk, $ts, $core, $msgs));
echo "get: ", $r->readResponse->status->isSuccess ? "ok " : "failed ", $r->readResponse->record->companyName, "\n";
$ref = new SoapVar(["internalId" => "999", "type" => "vendor"], SOAP_ENC_OBJECT, "RecordRef", $core);
$r = $client->__soapCall("get", [["baseRef" => $ref]], null, passport($account, $ck, $cs, $tk, $ts, $core, $msgs));
echo "missing: ", $r->readResponse->status->statusDetail[0]->code, "\n";
