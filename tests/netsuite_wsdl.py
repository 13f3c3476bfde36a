"""Where the tests find NetSuite's published 2024_1 WSDL and XSDs (for the conformance tests,
marker ``shared``): ``$NETSUITE_WSDL_DIR``, else ``../shared/netsuite-wsdl/v2024_1_0`` (or
``$NETSUITE_SHARED/netsuite-wsdl/v2024_1_0``), else a copy downloaded once from Oracle's public
URL into a cache outside the project. Without any of them, the conftest deselects those tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED_WSDL_URL = "https://webservices.netsuite.com/wsdl/v2024_1_0/netsuite.wsdl"
WSDL_URL = os.environ.get("NETSUITE_WSDL_URL") or PUBLISHED_WSDL_URL   # where to download from
DOWNLOAD_TIMEOUT_S = 3.0
XSD = "http://www.w3.org/2001/XMLSchema"
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") \
    / "netsuite-mock" / "netsuite-wsdl" / "v2024_1_0"


def is_wsdl_dir(path: Path) -> bool:
    return (path / "netsuite.wsdl").is_file() and (path / "xsd").is_dir()


def candidates() -> list[Path]:
    given = [Path(os.environ["NETSUITE_WSDL_DIR"])] if os.environ.get("NETSUITE_WSDL_DIR") else []
    shared = Path(os.environ.get("NETSUITE_SHARED") or ROOT.parent / "shared")
    return [*given, shared / "netsuite-wsdl" / "v2024_1_0", CACHE_DIR]


def located() -> Path:
    """The first folder that holds the WSDL, else the cache folder a download fills."""
    return next((path for path in candidates() if is_wsdl_dir(path)), CACHE_DIR)


def local_name(url: str) -> str:
    """``…/xsd/platform/v2024_1_0/core.xsd`` → ``platform.core.xsd`` (the layout of
    ../shared, so both copies read the same)."""
    parts = urlsplit(url).path.rstrip("/").split("/")
    return f"{parts[-3]}.{parts[-1]}" if len(parts) >= 3 else parts[-1]


def download(target: Path = CACHE_DIR, wsdl_url: str = WSDL_URL,
             timeout: float = DOWNLOAD_TIMEOUT_S) -> str | None:
    """Fetch the WSDL and every schema it imports, transitively, into ``target``, with their
    schemaLocations pointed at the local copies; None when done, else why not. Written to a
    temporary folder and renamed, so ``target`` is complete or absent."""
    session = requests.Session()
    try:
        documents: dict[str, etree._Element] = {}
        pending = [wsdl_url]
        while pending:
            url = pending.pop()
            if url in documents:
                continue
            response = session.get(url, timeout=timeout)
            response.raise_for_status()
            documents[url] = root = etree.fromstring(response.content)
            for node in root.iter(f"{{{XSD}}}import", f"{{{XSD}}}include"):
                if node.get("schemaLocation"):
                    pending.append(urljoin(url, node.get("schemaLocation")))
    except (requests.RequestException, etree.XMLSyntaxError) as error:
        response = getattr(error, "response", None)
        return (f"HTTP {response.status_code} from {url}" if response is not None
                else f"{type(error).__name__} on {urlsplit(url).netloc}")
    staging = Path(tempfile.mkdtemp(prefix="netsuite-wsdl-", dir=_made(target.parent)))
    (staging / "xsd").mkdir()
    for url, root in documents.items():
        is_wsdl = url == wsdl_url
        for node in root.iter(f"{{{XSD}}}import", f"{{{XSD}}}include"):
            if node.get("schemaLocation"):
                name = local_name(urljoin(url, node.get("schemaLocation")))
                node.set("schemaLocation", f"./xsd/{name}" if is_wsdl else f"./{name}")
        path = staging / "netsuite.wsdl" if is_wsdl else staging / "xsd" / local_name(url)
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    try:
        staging.rename(target)
    except OSError:   # another run got there first
        shutil.rmtree(staging, ignore_errors=True)
    return None if is_wsdl_dir(target) else f"could not write {target}"


def _made(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
