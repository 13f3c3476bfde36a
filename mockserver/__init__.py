"""netsuite-mock. ``mockserver.netsuite_mock`` runs the mock in your process
(``mockserver.inprocess``); it is loaded on first use, so importing a layer (the domain, say)
loads nothing of the server."""


def __getattr__(name: str):
    if name in ("netsuite_mock", "NetSuiteMock"):
        from mockserver import inprocess
        return getattr(inprocess, name)
    raise AttributeError(f"module 'mockserver' has no attribute {name!r}")
