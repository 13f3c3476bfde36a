"""The settings and secrets files (``NetSuiteSettings``, ``NetSuiteSecrets``, ``load_jsonc``,
``ConfigError``) where the client's users import them from; they live in ``suitetalk.config``,
which the mock reads the same files with."""

from suitetalk.config import *  # noqa: F401,F403
