"""Recording a client's SOAP exchanges: the hook the client offers, and how ``record_to`` finds
what writes the file.

The client knows no cassette format. A *recorder* is any object with ``record(method, url,
headers, body, response)``, which the client's transport calls after every SOAP POST with the
request as sent and the ``requests.Response`` received (``NetSuiteClient(recorder=…)``).
``record_to=PATH`` asks for one from the factory registered under the entry point group
``netsuite_client.recorders`` with the name ``cassette``: netsuite-mock's ``contracts`` registers
its vcrpy cassette writer there (``contracts.cassette.client_recorder``), so recording plugs in
from the contract tools' side and the client imports nothing of them.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Protocol

import zeep

from suitetalk.config import ConfigError, NetSuiteSecrets, NetSuiteSettings

RECORDERS = "netsuite_client.recorders"
CASSETTE = "cassette"


class Recorder(Protocol):
    def record(self, method: str, url: str, headers: dict, body: bytes | None,
               response) -> None: ...


def recorder_for(path: str, settings: NetSuiteSettings, secrets: NetSuiteSecrets,
                 fields: tuple[str, ...] = ()) -> Recorder:
    """The registered cassette recorder, writing to ``path`` and scrubbing what ``settings``,
    ``secrets`` and ``fields`` say must not reach the file."""
    found = entry_points(group=RECORDERS, name=CASSETTE)
    if not found:
        raise ConfigError(f"recording to {path} needs a cassette recorder, and none is "
                          f"installed (netsuite-mock's contracts package registers one under "
                          f"the entry point group {RECORDERS}: pip install netsuite-mock)")
    factory = next(iter(found)).load()
    return factory(path, settings=settings, secrets=secrets, fields=tuple(fields))


def recording_transport(recorder: Recorder, **options) -> zeep.Transport:
    """A zeep transport that hands every SOAP exchange to ``recorder``."""

    class RecordingTransport(zeep.Transport):
        def post(self, address, message, headers):
            response = super().post(address, message, headers)
            body = message.encode("utf-8") if isinstance(message, str) else message
            recorder.record("POST", address, headers, body, response)
            return response

    return RecordingTransport(**options)
