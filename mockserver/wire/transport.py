"""What the HTTP layer and the Spyne application share about one request (no Spyne here, so
the mock can serve its WSDL before Spyne is even imported)."""

from __future__ import annotations

import io

from mockserver.domain.journal import Exchange

EXCHANGE_KEY = "netsuite_mock.exchange"


def exchange_of(environ: dict) -> Exchange:
    """The journal record of the request being served (made on first use)."""
    exchange = environ.get(EXCHANGE_KEY)
    if exchange is None:
        exchange = environ[EXCHANGE_KEY] = Exchange()
    return exchange


def base_url(environ: dict) -> str:
    """The scheme and host the client used to reach the mock."""
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}"


def read_body(environ: dict) -> bytes:
    """The request body (``CONTENT_LENGTH`` bytes), read once and put back for whoever reads it
    next."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body
