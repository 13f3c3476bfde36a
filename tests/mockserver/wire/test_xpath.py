"""The names a fault rule's XPath tests, which the domain holds against the schema."""

from __future__ import annotations

import pytest

from mockserver.domain.errors import ConfigurationError
from mockserver.wire.xpath import checked_xpath, name_tests


@pytest.mark.parametrize("expression, names", [
    (".//tranPurch:expense[tranPurch:amount > 1000]", {"tranPurch:expense", "tranPurch:amount"}),
    ("//platformMsgs:baseRef[@internalId='101' and @type = \"vendor\"]",
     {"platformMsgs:baseRef", "@internalId", "@type"}),
    ("count(//listRel:x) > 2 or not(//a)", {"listRel:x", "a"}),       # functions are not names
    ("//*[local-name() = 'companyName']/text() | //listRel:*", set()),  # nor literals, wildcards
    ("child::listRel:v/attribute::type | //@xsi:type", {"listRel:v", "@type", "@xsi:type"}),
    ("//a[b div 2 mod 3]", {"a", "b"}),                                  # operators are not
    ("//div[mod]", {"div", "mod"}),                                      # … where names go
])
def test_the_names_an_xpath_tests(expression, names):
    assert name_tests(expression) == names
    assert checked_xpath(expression) == names


def test_an_xpath_that_cannot_run_is_refused_before_its_names_are_read():
    with pytest.raises(ConfigurationError, match="invalid XPath"):
        checked_xpath("//nosuch:a")
