"""The ``netsuite`` package from PyPI (async zeep + httpx), unmodified, against the mock."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("netsuite.soap_api.client")
from netsuite.config import Config, TokenAuth  # noqa: E402
from netsuite.soap_api import zeep as netsuite_zeep  # noqa: E402
from netsuite.soap_api.client import NetSuiteSoapApi  # noqa: E402
from zeep.exceptions import Fault  # noqa: E402


def api_for(mock, **auth_changes) -> NetSuiteSoapApi:
    s = mock.settings
    auth = dict(consumer_key=s.consumer_key, consumer_secret=s.consumer_secret,
                token_id=s.token_id, token_secret=s.token_secret)
    auth.update(auth_changes)
    config = Config(account=s.account, auth=TokenAuth(**auth))
    return NetSuiteSoapApi(config, version="2024.1.0", wsdl_url=mock.wsdl_url,
                           cache=netsuite_zeep.cache.InMemoryCache())


def test_netsuite_package_gets_a_vendor_and_the_server_time(mock):
    api = api_for(mock)

    async def scenario():
        vendor = await api.get("vendor", internalId=102)
        time = await api.request("getServerTime")
        return vendor, time
    vendor, time = asyncio.run(scenario())
    record = vendor.body.readResponse.record
    assert record.companyName == "Globex Corporation"
    assert time.body.getServerTimeResult.status.isSuccess is True


def test_netsuite_package_sees_the_invalid_login_fault(mock):
    api = api_for(mock, token_secret="wrong")
    with pytest.raises(Fault) as raised:
        asyncio.run(api.get("vendor", internalId=102))
    assert raised.value.message == "Invalid login attempt."
