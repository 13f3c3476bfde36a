"""A thin zeep client for NetSuite SuiteTalk SOAP (2024_1), built from the settings and secrets
files integration teams already keep; works against NetSuite and against netsuite-mock alike.

    from client import NetSuiteClient
    ns = NetSuiteClient.from_files("settings.json", "secrets.json")
    ns.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"})

This package never imports ``mockserver`` (users run it against real NetSuite) nor
``contracts`` (recording plugs in from there: ``client.recording``). What it shares with the
mock (TokenPassport signing, the settings and secrets files, safe XML) lives in ``suitetalk``;
``client.config``, ``client.passport`` and ``client.safe_xml`` re-export it. Names are imported
on first use, so importing ``client`` stays light.
"""

from importlib import import_module

_EXPORTS = {
    "NetSuiteClient": "client.netsuite_client",
    "SearchPages": "client.paging",
    "RetryPolicy": "client.governance",
    "to_json": "client.objects",
    "ConfigError": "suitetalk.config", "NetSuiteSettings": "suitetalk.config",
    "NetSuiteSecrets": "suitetalk.config",
    **{name: "client.errors" for name in (
        "NetSuiteError", "NetSuiteFault", "LoginError", "ConcurrencyLimitError", "RecordError",
        "ConnectionFailed", "RequestError")},
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'client' has no attribute {name!r}")
