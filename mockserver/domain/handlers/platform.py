"""The small platform operations: server time, data centre URLs, currency rates, governance."""

from __future__ import annotations

from urllib.parse import urlsplit

from mockserver.domain.accounts import Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, SoapFault, invalid_reference, success_status
from mockserver.domain.records import id_order, kind_of
from mockserver.domain.store import RecordStore


@operation("getServerTime")
def get_server_time(call: Call, body: dict) -> dict:
    return {"getServerTimeResult": {"status": success_status(), "serverTime": call.now}}


@operation("getDataCenterUrls")
def get_data_center_urls(call: Call, body: dict) -> dict:
    """NetSuite answers with the account's domains; the mock answers with its own address."""
    if not body.get("account"):
        return {"getDataCenterUrlsResult": {
            "status": RecordError.of("data_required", field="account").as_status()}}
    base = call.base_url.rstrip("/")
    host = urlsplit(base)
    domain = f"{host.scheme}://{host.netloc}"
    return {"getDataCenterUrlsResult": {
        "status": success_status(),
        "dataCenterUrls": {"restDomain": domain, "webservicesDomain": domain,
                           "systemDomain": domain}}}


@operation("getCurrencyRate")
def get_currency_rate(call: Call, body: dict) -> dict:
    """The exchange rates in force on ``effectiveDate`` (now, without one): for each pair of
    base and foreign currency the filter admits, the rate with the latest effective date not
    after it. A rate converts one ``fromCurrency`` into ``exchangeRate`` base currency."""
    spec = body.get("currencyRateFilter") or {}
    try:
        call.require(kind_of("currencyRate"), Level.VIEW)
        wanted = {name: _currency_id(call.account.store, spec, name)
                  for name in ("baseCurrency", "fromCurrency")}
    except RecordError as error:
        return {"getCurrencyRateResult": {"status": error.as_status()}}
    in_force = {pair: rate for pair, rate in
                rates_in_force(call.account.store, spec.get("effectiveDate") or call.now).items()
                if all(want is None or want == have
                       for want, have in zip(wanted.values(), pair))}
    rates = [{"baseCurrency": rate["baseCurrency"], "fromCurrency": rate["transactionCurrency"],
              "exchangeRate": rate["exchangeRate"], "effectiveDate": rate["effectiveDate"]}
             for _, rate in sorted(in_force.items(),
                                   key=lambda item: tuple(map(id_order, item[0])))]
    return {"getCurrencyRateResult": {"status": success_status(),
                                      "currencyRateList": {"currencyRate": rates}}}


def rates_in_force(store: RecordStore, on) -> dict[tuple[str, str], dict]:
    """(base currency, foreign currency) -> the currency rate record in force on ``on``: the
    one with the latest effective date not after it."""
    in_force: dict[tuple[str, str], dict] = {}
    for rate in store.records("currencyRate"):
        pair = (rate["baseCurrency"]["internalId"], rate["transactionCurrency"]["internalId"])
        if rate["effectiveDate"] <= on and (pair not in in_force or
                                            rate["effectiveDate"] >
                                            in_force[pair]["effectiveDate"]):
            in_force[pair] = rate
    return in_force


def _currency_id(store: RecordStore, spec: dict, field: str) -> str | None:
    ref = spec.get(field)
    if not ref or (ref.get("internalId") is None and ref.get("externalId") is None):
        return None
    currency = store.find("currency", ref.get("internalId"), ref.get("externalId"))
    if currency is None:
        raise invalid_reference("currency", ref.get("internalId") or ref.get("externalId"))
    return currency["internalId"]


def _administrator_only(call: Call) -> None:
    """NetSuite shows governance information to administrators only."""
    if not call.role.administrator:
        raise SoapFault.of("administrator_only")


@operation("getAccountGovernanceInfo")
def get_account_governance_info(call: Call, body: dict) -> dict:
    _administrator_only(call)
    gate = call.account.gate
    return {"getAccountGovernanceInfoResult": {
        "status": success_status(), "accountConcurrencyLimit": gate.limit,
        "unallocatedConcurrencyLimit": gate.unallocated}}


@operation("getIntegrationGovernanceInfo")
def get_integration_governance_info(call: Call, body: dict) -> dict:
    _administrator_only(call)
    gate, integration = call.account.gate, call.identity.integration.name
    return {"getIntegrationGovernanceInfoResult": {
        "status": success_status(), "integrationConcurrencyLimit": gate.limit_of(integration)[0],
        "limitType": gate.limit_type(integration)}}
