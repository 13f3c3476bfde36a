"""Contract testing for NetSuite SuiteTalk SOAP: do the mock and NetSuite behave the same?

- ``contracts.cassette``: record sessions into vcrpy cassettes (scrubbed by ``contracts.scrub``),
  match and replay them the SOAP way;
- ``contracts.replay``: ``netsuite-mock replay``, cassettes served as an endpoint;
- ``contracts.verify``: ``netsuite-contracts verify``, an endpoint checked against cassettes;
- ``contracts.strategies`` and ``contracts.differential``: Hypothesis-generated records and
  operation sequences, run against one endpoint or compared across two;
- ``contracts.pytest_plugin``: fixtures, options and the ``netsuite_cassette`` marker.

See docs/contracts.md. Submodules are imported on use: the client records with
``contracts.cassette`` and ``contracts.scrub``, which do not import ``mockserver``.
"""
