"""Fault rules' and verifications' XPath matching over request bodies (lxml, no Spyne).

The domain's ``FaultRules`` checks a rule's XPath when the rule is added, through the
validator it is given (``compiled_xpath``), and asks ``RequestFacts.xpath`` whether a request
matches; both are lxml's, so they live here and are handed to the domain by whoever builds
the mock (``mockserver.server.build_backend``). The admin API's request verification asks
``request_matches`` of the bodies the journal kept, so a pattern's XPath reads a request as
a rule's does.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from lxml import etree

from mockserver.domain.errors import ConfigurationError, SoapFault
from mockserver.schema import NAMESPACES
from mockserver.wire.envelope import parse_envelope

log = logging.getLogger("netsuite_mock.wire")

XPATH_NAMESPACES = {**{ns.prefix: ns.uri for ns in NAMESPACES},
                    "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
# What a rule's XPath is tried on when it is loaded: errors XPath reports only when evaluating
# (an undefined prefix, function or variable) show up here rather than on every request.
_TRIAL = etree.Element("netsuiteMockTrial")


@lru_cache(maxsize=256)
def compiled_xpath(expression: str) -> etree.XPath:
    """A rule's XPath, with NetSuite's prefixes (platformMsgs, listRel, tranPurch, …) bound;
    ConfigurationError if it is not one that can run."""
    try:
        compiled = etree.XPath(expression, namespaces=XPATH_NAMESPACES)
        compiled(_TRIAL)
    except (etree.XPathError, ValueError) as error:
        raise ConfigurationError(f"invalid XPath {expression!r}: {error} (NetSuite's "
                                 f"prefixes are bound: platformMsgs, platformCore, listRel, "
                                 f"tranPurch, …, and xsi)") from None
    return compiled


def xpath_matches(body_element, expression: str) -> bool:
    """Whether a rule's XPath finds anything in (or is true of) the request body."""
    try:
        result = compiled_xpath(expression)(body_element)
    except (etree.XPathError, ConfigurationError) as error:
        log.warning("fault rule XPath %r failed on a request: %s", expression, error)
        return False
    return bool(result)


def request_matches(request: bytes, expression: str) -> bool:
    """Whether an XPath finds anything in a request the journal kept (tried on its operation
    element, as a fault rule's is); a body that is not a SOAP request matches nothing."""
    try:
        _header, body_element = parse_envelope(request)
    except SoapFault:
        return False
    return xpath_matches(body_element, expression)
