"""NetSuite's search: basic, joined and advanced searches, paging, search ids, getDeleted.

``criteria`` (one search field as a test), ``dates`` (relative dates), ``families`` (which
records a search type covers, how its fields read them, joins), ``query`` (compile and run,
using the store's indexes), ``results`` (records and rows of a page) and ``sessions`` (search
ids). The SOAP operations are in ``mockserver.domain.handlers.search``.
"""
