"""TokenPassport signing (``make_passport``, ``sign``) where the client's users import it from;
it lives in ``suitetalk.passport``, which the mock verifies signatures with."""

from suitetalk.passport import *  # noqa: F401,F403
