"""XML read safely, the same way everywhere: the mock's request parser and journal, and the
contract tools that read cassettes (which must not need the server) share these.

Nothing is resolved, loaded or fetched; a DOCTYPE is refused before parsing in whatever
encoding the document is in (in UTF-16 or UTF-32 the bytes of ``<!DOCTYPE`` are not ASCII).
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

# Byte order marks, and how "<" starts a document without one (the XML spec's appendix F).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"), (b"<\x00\x00\x00", "utf-32-le"),
         (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"))
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)""")


_BOM_STARTS = tuple(bom for bom, _ in _BOMS)


def xml_encoding(body: bytes) -> str:
    """The encoding an XML document is in, by its byte order mark, its first bytes or its
    declaration (UTF-8 if none says otherwise)."""
    if body.startswith(_BOM_STARTS):
        return next(name for bom, name in _BOMS if body.startswith(bom))
    declared = _DECLARED_ENCODING.match(body, 0, 200)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def xml_text(body: bytes) -> str:
    """A body as text in the encoding its XML says, else UTF-8: read any other way, a UTF-16
    request would show its credentials with a NUL between characters, and neither redaction
    would see them."""
    try:
        return body.decode(xml_encoding(body), errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


class _NothingExternal(etree.Resolver):
    """Every DTD or entity a parser would load (``file://`` included, which ``no_network``
    does not cover) is empty instead."""

    def resolve(self, url, pubid, context):
        return self.resolve_string("", context)


def safe_parser(*, huge_tree: bool = False, events: tuple[str, ...] | None = None
                ) -> etree.XMLParser:
    """A parser that resolves no entities and loads, fetches and reads nothing; with
    ``events``, a feed parser (``XMLPullParser``) that reports them as it goes."""
    options = dict(resolve_entities=False, no_network=True, load_dtd=False,
                   dtd_validation=False, huge_tree=huge_tree, remove_comments=True,
                   remove_pis=True, collect_ids=False)
    parser = etree.XMLParser(**options) if events is None else \
        etree.XMLPullParser(events=events, **options)
    parser.resolvers.add(_NothingExternal())
    return parser


def declares_doctype(data: bytes) -> bool:
    """Whether a document has a DOCTYPE, whatever its encoding (in UTF-16 or UTF-7 the bytes
    of ``<!DOCTYPE`` are not those of the ASCII text)."""
    markup = data.find(b"<!")   # a DOCTYPE, a comment or CDATA; most requests have none
    if markup >= 0 and (b"<!DOCTYPE" in data[markup:] or b"<!doctype" in data[markup:]):
        return True
    if xml_encoding(data).lower().replace("-", "").replace("_", "") in ("utf8", "ascii",
                                                                        "usascii"):
        return False
    return "<!doctype" in xml_text(data).lower()


# What XML 1.0 cannot carry at all (NUL, most C0 controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML_CHARS = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe_text(text: str) -> str:
    """``text`` with what XML cannot carry replaced by U+FFFD: a message that quotes a bad
    request (a UTF-16 body read as bytes, a NUL) must still fit in the fault that answers it."""
    return _NOT_XML_CHARS.sub("\ufffd", text)
