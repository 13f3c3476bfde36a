"""What the HTTP layer and the Spyne application share about one request (no Spyne here, so
the mock can serve its WSDL before Spyne is even imported)."""

from __future__ import annotations

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
