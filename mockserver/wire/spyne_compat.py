"""Make Spyne 2.14.0 importable on Python 3.12 and 3.13.

Spyne vendors an old ``six`` (``spyne/util/six.py``) whose import hook has only
``find_module``/``load_module``, which Python 3.12 no longer calls, so
``spyne.util.six.moves`` cannot be imported. Before Spyne is first imported we load that same
vendored file ourselves and give its importer the three ``find_spec`` protocol methods newer six
releases have; Spyne then finds it already loaded. On 3.13 the ``cgi`` module Spyne imports
comes from the ``legacy-cgi`` distribution (a declared dependency). On 3.11 this does nothing
but quieten Spyne's deprecation warnings. Import this module before anything imports Spyne.
"""

import importlib.util
import sys
import warnings


def _patch_vendored_six() -> None:
    spyne_spec = importlib.util.find_spec("spyne")
    if spyne_spec is None or not spyne_spec.submodule_search_locations:
        return  # Spyne is not installed; the import below will say so
    path = f"{spyne_spec.submodule_search_locations[0]}/util/six.py"
    spec = importlib.util.spec_from_file_location("spyne.util.six", path)
    six = importlib.util.module_from_spec(spec)
    sys.modules["spyne.util.six"] = six
    spec.loader.exec_module(six)
    importer = type(next(h for h in sys.meta_path
                         if type(h).__name__ == "_SixMetaPathImporter"
                         and getattr(h, "name", None) == "spyne.util.six"))

    def find_spec(self, fullname, path=None, target=None):
        if fullname in self.known_modules:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return self.load_module(spec.name)

    def exec_module(self, module):
        pass

    importer.find_spec = find_spec
    importer.create_module = create_module
    importer.exec_module = exec_module


if sys.version_info >= (3, 12) and "spyne" not in sys.modules:
    _patch_vendored_six()

# Spyne imports ``cgi`` (deprecated in 3.11, removed in 3.13) and uses old-style APIs; the
# warnings are Spyne's, not ours, and would otherwise print on every start.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"spyne(\.|$)")
warnings.filterwarnings("ignore", message=r".*'cgi' is deprecated.*", category=DeprecationWarning)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import spyne  # noqa: E402,F401  (imported here so the filters above cover its import)
