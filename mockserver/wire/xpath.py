"""Fault rules' and verifications' XPath matching over request bodies (lxml, no Spyne).

The domain's ``FaultRules`` checks a rule's XPath when the rule is added, through the
validator it is given (``checked_xpath``: it compiles, and these are the names it tests, which
the domain holds against what a request of the rule's operations can carry), and asks ``RequestFacts.xpath`` whether a request
matches; both are lxml's, so they live here and are handed to the domain by whoever builds
the mock (``mockserver.server.build_backend``). The admin API's request verification asks
``request_matches`` of the bodies the journal kept, so a pattern's XPath reads a request as
a rule's does.
"""

from __future__ import annotations

import logging
import re
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


# XPath 1.0's tokens (section 3.7), enough to tell name tests from function names, operators
# and literals: a literal, a number, "::", "..", an operator or bracket, "$name", a QName
# (or prefix:*), "*".
_TOKEN = re.compile(r"""\s*(?:("[^"]*"|'[^']*')|(\d+(?:\.\d*)?|\.\d+)|(::|\.\.|//|!=|<=|>=|[-/()\[\]@,|+=<>.])"""
                    r"""|(\$[\w.-]+(?::[\w.-]+)?)|([A-Za-z_][\w.-]*(?::(?:[A-Za-z_][\w.-]*|\*))?)|(\*))""")
_OPERATOR_NAMES = frozenset({"and", "or", "mod", "div"})
_NODE_TYPES = frozenset({"node", "text", "comment", "processing-instruction"})
_ELEMENT_AXES = frozenset({"child", "descendant", "descendant-or-self", "self", "parent",
                           "ancestor", "ancestor-or-self", "following", "following-sibling",
                           "preceding", "preceding-sibling"})


def name_tests(expression: str) -> frozenset[str]:
    """The element names an XPath tests (``listRel:companyName``, ``companyName`` when it has no
    prefix) and its attribute names (``@internalId``): not functions, operators or literals."""
    tokens = []
    position = 0
    expression = expression.rstrip()
    while position < len(expression):
        found = _TOKEN.match(expression, position)
        if found is None or found.end() == position:
            return frozenset()     # lxml compiled it, so only a lexer gap: test no names
        tokens.append((found.lastindex, found.group(found.lastindex)))
        position = found.end()
    names = set()
    for index, (kind, token) in enumerate(tokens):
        if kind != 5 or token.endswith(":*"):
            continue
        before = tokens[index - 1][1] if index else None
        after = tokens[index + 1][1] if index + 1 < len(tokens) else None
        if after in ("(", "::"):      # a function, a node type test, an axis
            continue
        if before is not None and before not in ("@", "::", "(", "[", ",", "/", "//", "|", "+",
                                                 "-", "=", "!=", "<", "<=", ">", ">=") \
                and not (tokens[index - 1][0] == 5 and tokens[index - 1][1] in _OPERATOR_NAMES):
            continue                  # "and", "or", "mod", "div" as operators
        axis = tokens[index - 2][1] if before == "::" and index >= 2 else None
        if before == "@" or axis == "attribute":
            names.add("@" + token)
        elif axis is None or axis in _ELEMENT_AXES:
            names.add(token)
    return frozenset(names)


def checked_xpath(expression: str) -> frozenset[str]:
    """A rule's XPath, checked (ConfigurationError if it cannot run), as the names it tests."""
    compiled_xpath(expression)
    return name_tests(expression)


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
