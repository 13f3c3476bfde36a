"""Credentials out of the journal as the admin API shows it: by element, then by value.

Two independent passes, because each alone has holes:

- *By element*: the text of every TokenPassport credential element and password element, in
  any namespace or prefix, is replaced, whatever form it takes in valid XML (CDATA sections,
  character references, comments splitting it, whitespace in the tags, attributes holding
  ``>``). The markup is read with a small XML tokenizer rather than parsed, so the body the
  journal shows is the body received, and a body that is not XML costs nothing.
- *By value*: every configured consumer key and secret, token id and secret, in the forms a
  client might send them (raw, XML-, URL- and JSON-escaped, base64 at any alignment, hex,
  UTF-16), is replaced wherever it appears, in XML or not.

Both run when an entry is read (``redacted_entry``), never on the request path: the
domain's journal keeps the bytes received, and this module, which reads them as XML, is the only
way out of it.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
from typing import Callable, Iterable
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

from mockserver.domain.accounts import MIN_SECRET_CHARS, REDACTED
from mockserver.domain.journal import JournalEntry
from suitetalk.passport import PASSPORT_FIELDS, PASSWORD_FIELDS
from suitetalk.safe_xml import xml_text

# A base64 fragment this short could occur by chance in any base64 content.
MIN_BASE64_CHARS = 8

# Elements whose content is a credential, whatever their prefix (the account id is not secret
# to the mock, which names it in every entry anyway). Matched regardless of case: redacting a
# look-alike element costs nothing, missing one leaks.
SECRET_ELEMENTS = frozenset(name.lower() for name in PASSPORT_FIELDS[1:] + PASSWORD_FIELDS)

# The markup of an XML document, one token a match: comment, CDATA section, processing
# instruction, declaration, end tag, start or empty-element tag (quoted attribute values may
# hold ">"). Unterminated constructs run to the end of the text.
_MARKUP = re.compile(r"""
    <!--.*?(?:-->|\Z)
  | <!\[CDATA\[.*?(?:\]\]>|\Z)
  | <\?.*?(?:\?>|\Z)
  | <![^>]*(?:>|\Z)
  | </\s*(?P<end>[^\s>]*)\s*>
  | <(?P<start>[^\s/>!?]+)(?:"[^"]*"|'[^']*'|[^'">])*>
""", re.S | re.X)


def redact_elements(text: str) -> str:
    """``text`` with the content of every credential element replaced by ``REDACTED``."""
    lowered = text.lower()
    if not any(name in lowered for name in SECRET_ELEMENTS):  # most responses: no such names
        return text
    out: list[str] = []
    pos = 0
    depth = 0  # open elements inside the credential element being redacted (0: outside one)
    for token in _MARKUP.finditer(text):
        end_name, start_name = token.group("end"), token.group("start")
        empty = start_name is not None and token.group().endswith("/>")
        if depth:
            if end_name is not None:
                depth -= 1
                if depth == 0:
                    out += [REDACTED, token.group()]
                    pos = token.end()
            elif start_name is not None and not empty:
                depth += 1
            continue
        out.append(text[pos:token.end()])
        pos = token.end()
        if start_name is not None and not empty and \
                start_name.rpartition(":")[2].lower() in SECRET_ELEMENTS:
            depth = 1
    out.append(REDACTED if depth else text[pos:])
    return "".join(out)


def encodings(value: str) -> set[str]:
    """The forms a credential can take in a body: itself and its common encodings."""
    raw = value.encode("utf-8")
    forms = {value, escape(value), escape(value, {'"': "&quot;", "'": "&apos;"}),
             html.escape(value), quote(value), quote(value, safe=""), quote_plus(value, safe=""),
             json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
             raw.hex(), raw.hex().upper(),
             "\x00".join(value)}  # UTF-16 (either byte order) read as UTF-8
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        for offset in range(3):  # the value may start at any byte of a 3-byte group
            encoded = encode(b"\x00" * offset + raw).decode("ascii")
            first = -(-8 * offset // 6)          # the first character with no padding byte in
            last = 8 * (offset + len(raw)) // 6  # the characters made of value bytes only
            core = encoded[first:last]
            if len(core) >= MIN_BASE64_CHARS:
                forms.add(core)
    return {form for form in forms if len(form) >= MIN_SECRET_CHARS}


class SecretValues:
    """The configured credentials' forms, rebuilt when the credentials change."""

    def __init__(self, credentials: Callable[[], Iterable[str]] = tuple):
        self._credentials = credentials
        self._lock = threading.Lock()
        self._known: frozenset[str] = frozenset()
        self._forms: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        """Every form of every credential, longest first (so one inside another goes too)."""
        values = frozenset(v for v in self._credentials() if v and len(v) >= MIN_SECRET_CHARS)
        with self._lock:
            if values != self._known:
                forms = set().union(*(encodings(v) for v in values)) if values else set()
                self._forms = tuple(sorted(forms, key=len, reverse=True))
                self._known = values
            return self._forms

    def redact(self, text: str, *, cut: bool = False) -> str:
        """``text`` with every form of every credential replaced; ``cut``: the text was cut
        short, so a credential's beginning at its very end goes too."""
        forms = self.forms()
        for form in forms:
            if form in text:
                text = text.replace(form, REDACTED)
        if cut:
            for form in forms:
                for length in range(len(form) - 1, MIN_SECRET_CHARS - 1, -1):
                    if text.endswith(form[:length]):
                        return text[:-length] + REDACTED
        return text


def redacted_entry(entry: JournalEntry, secrets: SecretValues, *, bodies: bool = False) -> dict:
    """A journal entry as people may see it: its summary, with ``bodies`` its request and
    response as text; every credential replaced (a faultstring among the codes may quote the
    request)."""
    shown = entry.summary()
    shown["codes"] = [secrets.redact(c) if isinstance(c, str) else c for c in entry.codes]
    if bodies:
        shown["request"] = body_text(entry.request, entry.request_size, secrets)
        shown["response"] = body_text(entry.response, entry.response_size, secrets)
    return shown


def body_text(kept: bytes, size: int, secrets: SecretValues) -> str:
    """A body the journal kept (``size`` bytes long before it was cut) as text in the encoding
    its XML says (a UTF-16 request read as UTF-8 would show its credentials with a NUL between
    characters, and neither pass would see them), redacted, with how much was cut."""
    cut = size > len(kept)
    text = secrets.redact(redact_elements(xml_text(kept)), cut=cut)
    if cut:
        text += f"\n… [{size - len(kept)} more bytes]"
    return text
