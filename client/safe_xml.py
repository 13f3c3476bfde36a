"""XML read safely, where the client's users import it from; it lives in
``suitetalk.safe_xml``, which the mock parses requests with."""

from suitetalk.safe_xml import *  # noqa: F401,F403
