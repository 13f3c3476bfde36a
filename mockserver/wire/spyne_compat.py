"""Make Spyne 2.14.0 importable on Python 3.12 and 3.13.

Spyne vendors an old ``six`` whose import hook lacks ``find_spec`` (gone in 3.12), so
``spyne.util.six.moves`` cannot be imported. We alias the real ``six`` (and the ``moves``
modules Spyne uses) under Spyne's vendored name before Spyne is first imported. On 3.13 the
``cgi`` module Spyne imports comes from the ``legacy-cgi`` distribution (a declared dependency).
Import this module before anything that imports Spyne; on 3.11 it does nothing.
"""

import sys
import warnings

if sys.version_info >= (3, 12) and "spyne" not in sys.modules:
    import six

    sys.modules.setdefault("spyne.util.six", six)
    sys.modules.setdefault("spyne.util.six.moves", six.moves)
    for _name in ("collections_abc", "http_cookies", "urllib"):
        sys.modules.setdefault(f"spyne.util.six.moves.{_name}", getattr(six.moves, _name))
    for _name in ("parse", "error", "request"):
        sys.modules.setdefault(f"spyne.util.six.moves.urllib.{_name}",
                               getattr(six.moves.urllib, _name))

# Spyne imports ``cgi`` (deprecated in 3.11, removed in 3.13) and uses old-style APIs; the
# warnings are Spyne's, not ours, and would otherwise print on every start.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"spyne(\.|$)")
warnings.filterwarnings("ignore", message=r".*'cgi' is deprecated.*", category=DeprecationWarning)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import spyne  # noqa: E402,F401  (imported here so the filters above cover its import)
