"""Secrets out of cassettes: an XML-aware scrubber, and a scanner that proves none are left.

The scrubber replaces, in every request and response:

- the TokenPassport's ``account``, ``consumerKey``, ``token``, ``nonce``, ``timestamp`` and
  ``signature`` (in whatever namespace or prefix), any ``passport``/``ssoPassport`` child and
  every password element, and the elements the user names (``fields=("email", "phone")``),
  with fixed placeholders (``[nonce]``, ``[password]``, ``[scrubbed]``);
- the account id, wherever it appears (URLs, ``nsId``s, bodies) and in any case and with
  either separator, with ``ACCOUNT_ID`` (or ``account-id`` in its host-name forms,
  ``1234567-sb1.suitetalk.api.netsuite.com``, ``1234567-SB1``);
- any known secret value (consumer key and secret, token id and secret) left anywhere, with
  ``[secret]``;
- every HTTP header but ``Content-Type`` and ``SOAPAction``.

Placeholders are the same for every request and every run, so a scrubbed request still matches
the scrubbed recording of the same request: the cassette tools run this scrubber on live
requests before matching them, exactly as it ran when they were recorded.
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from contracts.soapxml import NotSoap, parse
from suitetalk.passport import PASSPORT_FIELDS, PASSWORD_FIELDS
from suitetalk.safe_xml import xml_encoding, xml_text

ACCOUNT_ALIAS = "ACCOUNT_ID"
HOST_ALIAS = "account-id"
SECRET = "[secret]"
SCRUBBED = "[scrubbed]"
PASSWORD = "[password]"
PASSPORT_PLACEHOLDERS = {name: f"[{name}]" for name in PASSPORT_FIELDS[1:]}
PLACEHOLDERS = frozenset({SECRET, SCRUBBED, PASSWORD, *PASSPORT_PLACEHOLDERS.values()})
FOREIGN_PASSPORTS = ("passport", "ssoPassport")
KEPT_REQUEST_HEADERS = frozenset({"content-type", "soapaction"})
KEPT_RESPONSE_HEADERS = frozenset({"content-type"})
_ALNUM = r"[A-Za-z0-9]"


@dataclass
class Scrubber:
    """What to scrub for one account; ``secrets`` are values never to write anywhere."""

    account: str | None = None
    secrets: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    _account_pattern: re.Pattern | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.secrets = tuple(sorted({s for s in self.secrets if s and len(s) >= 4},
                                    key=len, reverse=True))
        self.fields = tuple(self.fields)
        if self.account:
            # 1234567_SB1 in bodies, 1234567-sb1 in host names, and any other case or
            # separator a client or a URL gives it (1234567-SB1, 1234567_sb1)
            parts = re.split(r"[-_]", self.account)
            account = "[-_]".join(re.escape(part) for part in parts)
            self._account_pattern = re.compile(f"(?<!{_ALNUM})(?i:{account})(?!{_ALNUM})")

    @classmethod
    def for_client(cls, settings, secrets, fields=()) -> "Scrubber":
        """From ``suitetalk.config`` settings and secrets (what the client signs with)."""
        return cls(account=settings.account,
                   secrets=(secrets.consumer_key, secrets.consumer_secret, secrets.token_key,
                            secrets.token_secret), fields=tuple(fields))

    # -- text ------------------------------------------------------------------------------
    def text(self, value: str) -> str:
        """Known secrets and the account id out of any text (URLs, headers, bodies)."""
        for secret in self.secrets:
            value = value.replace(secret, SECRET)
        if self._account_pattern is not None:
            value = self._account_pattern.sub(_account_alias, value)
        return value

    def body(self, data: bytes | str | None) -> bytes | None:
        """An XML body with credentials replaced element by element, then ``text``; a body that
        is not XML only gets ``text``."""
        if data is None:
            return None
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if not raw.strip():
            return raw
        try:
            root = parse(raw)
        except NotSoap:
            return self.text(xml_text(raw)).encode("utf-8")
        utf8 = xml_encoding(raw).lower().replace("_", "-") in ("utf-8", "utf8")
        if self.scrub_tree(root) or not utf8:  # written as UTF-8, where text() can see it
            declaration = not utf8 or raw.lstrip().startswith(b"<?xml")
            raw = etree.tostring(root, xml_declaration=declaration, encoding="UTF-8")
        return self.text(raw.decode("utf-8", errors="replace")).encode("utf-8")

    def scrub_tree(self, root: etree._Element) -> bool:
        """Replace credential and configured elements' text in place; True if any changed."""
        changed = False
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            name = etree.QName(element).localname
            parent = element.getparent()
            parent_name = etree.QName(parent).localname if parent is not None else None
            replacement = None
            if parent_name == "tokenPassport" and name in PASSPORT_PLACEHOLDERS:
                replacement = PASSPORT_PLACEHOLDERS[name]
            elif parent_name == "tokenPassport" and name == "account":
                replacement = ACCOUNT_ALIAS
            elif parent_name in FOREIGN_PASSPORTS and len(element) == 0:
                replacement = PASSWORD if name in PASSWORD_FIELDS else SCRUBBED
            elif name in PASSWORD_FIELDS:
                replacement = PASSWORD
            elif name in self.fields and len(element) == 0:
                replacement = SCRUBBED
            if replacement is not None and (element.text or "") != replacement:
                element.text = replacement
                changed = True
        return changed

    # -- vcrpy requests and responses --------------------------------------------------------
    def request(self, request):
        """A scrubbed copy of a ``vcr.request.Request`` (the live one is left as it is)."""
        scrubbed = copy.deepcopy(request)
        scrubbed.uri = self.text(scrubbed.uri)
        for name in list(scrubbed.headers):
            if name.lower() not in KEPT_REQUEST_HEADERS:
                del scrubbed.headers[name]
        scrubbed.body = self.body(scrubbed.body)
        return scrubbed

    def response(self, response: dict) -> dict:
        """A scrubbed copy of a vcrpy response dict."""
        scrubbed = copy.deepcopy(response)
        scrubbed["headers"] = {k: v for k, v in (scrubbed.get("headers") or {}).items()
                               if k.lower() in KEPT_RESPONSE_HEADERS}
        body = scrubbed.get("body") or {}
        if body.get("string") is not None:
            body["string"] = self.body(body["string"])
        return scrubbed


def _account_alias(match: re.Match) -> str:
    found = match.group(0)
    return HOST_ALIAS if "-" in found or found.islower() and not found.isdigit() else \
        ACCOUNT_ALIAS


# -- the scanner -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    excerpt: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.excerpt}"


_CREDENTIAL_ELEMENT = re.compile(
    r"<(?:[\w.-]+:)?(" + "|".join(PASSPORT_FIELDS + PASSWORD_FIELDS) +
    r")\b[^>/]*>([^<]*)</")
_SIGNATURE = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{27}=|(?<![A-Za-z0-9+/])"
                        r"[A-Za-z0-9+/]{43}=")
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+/=-]{32,}")
_NETSUITE_HOST = re.compile(r"(?i)\b([a-z0-9_-]+)\.(?:suitetalk|restlets|app|extforms)\."
                            r"(?:api\.)?netsuite\.com")
_NS_ID = re.compile(r"WEBSERVICES_([A-Za-z0-9]+(?:_SB\d+|_RP\d+)?)_\d")
_SECRET_HEADER = re.compile(r"(?im)^\s*-?\s*['\"]?(authorization|cookie|set-cookie|"
                            r"proxy-authorization)['\"]?\s*:")


def scan_text(text: str, path: str = "<text>", *, known: tuple[str, ...] = (),
              allow: tuple[str, ...] = ()) -> list[Finding]:
    """Everything in ``text`` that looks like a secret a cassette must not hold."""
    findings: list[Finding] = []
    allowed = [re.compile(a) for a in allow]

    def add(position: int, kind: str, value: str) -> None:
        if any(a.search(value) for a in allowed):
            return
        line = text.count("\n", 0, position) + 1
        findings.append(Finding(path, line, kind, _mask(value)))

    for secret in known:
        if secret and len(secret) >= 4:
            for match in re.finditer(re.escape(secret), text):
                add(match.start(), "a known secret", secret)
    for match in _CREDENTIAL_ELEMENT.finditer(text):
        name, value = match.group(1), match.group(2).strip()
        if not value or value in PLACEHOLDERS or value == ACCOUNT_ALIAS:
            continue
        add(match.start(2), f"<{name}> not scrubbed", value)
    for match in _SIGNATURE.finditer(text):
        if _random_looking(match.group(0)):
            add(match.start(), "an HMAC signature (Base64 of 20 or 32 bytes)", match.group(0))
    for match in _LONG_TOKEN.finditer(text):
        token = match.group(0)
        if _random_looking(token) and not _SIGNATURE.fullmatch(token):
            add(match.start(), "a long random token", token)
    for match in _NETSUITE_HOST.finditer(text):
        if match.group(1).lower() not in (HOST_ALIAS, "webservices", "system", "rest"):
            add(match.start(1), "an account id in a NetSuite host name", match.group(1))
    for match in _NS_ID.finditer(text):
        if match.group(1) != ACCOUNT_ALIAS:
            add(match.start(1), "an account id in an nsId", match.group(1))
    for match in _SECRET_HEADER.finditer(text):
        add(match.start(1), "a credential HTTP header", match.group(1))
    return sorted(set(findings), key=lambda f: (f.line, f.kind))


def scan_paths(paths, *, known: tuple[str, ...] = (), allow: tuple[str, ...] = ()
               ) -> tuple[list[Path], list[Finding]]:
    """(files scanned, findings) for files and directories (every file below them)."""
    files = list(iter_files(paths, suffixes=None))
    findings: list[Finding] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = path.read_bytes().decode("latin-1")
        findings.extend(scan_text(text, str(path), known=known, allow=allow))
    return files, findings


def iter_files(paths, suffixes: tuple[str, ...] | None = (".yaml", ".yml")):
    """Files named, and files below directories named (sorted; hidden ones skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and not any(p.startswith(".") for p in
                                               found.relative_to(path).parts) and \
                        (suffixes is None or found.suffix in suffixes):
                    yield found
        else:
            yield path


def _random_looking(token: str) -> bool:
    """Long, of mixed character classes or hex, and of high entropy: a key, not a word (nor
    a URL path: a segment that is a plain word is not Base64)."""
    core = token.rstrip("=")
    if "/" in core and any(re.fullmatch(r"[A-Za-z]{5,}", part) for part in core.split("/")):
        return any(_random_looking(part) for part in core.split("/"))
    if len(core) < 20 or core.startswith("WEBSERVICES_"):
        return False
    if re.fullmatch(r"[0-9a-fA-F]{32,}", core):
        return True
    classes = sum(bool(re.search(p, core)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    if classes < 3:
        return False
    counts = Counter(core)
    entropy = -sum(c / len(core) * math.log2(c / len(core)) for c in counts.values())
    return entropy >= 4.0


def _mask(value: str) -> str:
    value = value.strip()
    return value if len(value) <= 6 else f"{value[:4]}…({len(value)} characters)"
