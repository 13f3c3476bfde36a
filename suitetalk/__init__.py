"""What any SuiteTalk SOAP party shares, client or server: TokenPassport signing
(``passport``), the settings and secrets files integration teams keep (``config``), and XML
read safely (``safe_xml``).

Imports neither ``mockserver``, ``client`` nor ``contracts``: the mock and the client both
stand on it, so a file that works with one works with the other and a signature one makes the
other verifies.
"""
