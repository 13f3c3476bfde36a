"""What WSGI applications beside the mock (the admin API, the recording proxy, the replay
server) read from a WSGI environ."""

from __future__ import annotations

import io


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
