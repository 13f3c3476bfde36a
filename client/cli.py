"""``netsuite-client``: run the import/export configurations users have, or call one operation.

    netsuite-client run settings.json --secrets secrets.json --out data \\
        --set last_modified_date=2024-01-01T00:00:00Z
    netsuite-client call get '{"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"}' \\
        --settings settings.json --secrets secrets.json

Exit status: 0 done, 1 NetSuite refused something (a fault, a failed status, an import that
did not complete), 2 a file, option or request to fix first (nothing was sent).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from client.errors import LoginError, NetSuiteError, RequestError
from client.objects import TYPE_KEY, to_json
from client.progress import Progress
from client.runner import Runner, load_run_config, parse_assignments, resolve, select
from client.wsdl_cache import WsdlCache
from suitetalk.config import (ConfigError, NetSuiteSecrets, NetSuiteSettings, parse_jsonc,
                           read_text)

LOGIN_HINT = ("NetSuite never says why a login failed: check the account id (case-sensitive, "
              "e.g. 1234567_SB1), the consumer key and token, their secrets, and the clock. "
              "netsuite-mock shows the reason at GET /__admin/audit.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netsuite-client",
        description="A NetSuite SuiteTalk SOAP (2024_1) client for the settings, secrets, "
                    "import and export files you already have.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p):
        p.add_argument("--secrets", metavar="SECRETS.json",
                       help="consumer_key, consumer_secret, token_key, token_secret "
                            "(default: NETSUITE_CONSUMER_KEY, … environment variables)")
        p.add_argument("--no-wsdl-cache", action="store_true",
                       help="parse the WSDL afresh instead of using the on-disk cache")
        p.add_argument("-v", "--verbose", action="store_true",
                       help="also log each retry to stderr (NetSuite's warnings always are)")
        p.add_argument("--record", metavar="CASSETTE.yaml",
                       help="write every SOAP exchange, secrets scrubbed, to this vcrpy "
                            "cassette (replay it with netsuite-mock replay, check the mock "
                            "against it with netsuite-contracts verify)")
        p.add_argument("--scrub-field", action="append", default=[], metavar="NAME",
                       help="also scrub this element's text in the recording (e.g. email; "
                            "repeatable)")

    run = commands.add_parser(
        "run", help="run a settings file's import_configs and export_configs",
        description="Fetch every import in full (JSON lines per master_data_name) and send "
                    "every export once.")
    run.add_argument("config", metavar="CONFIG.json",
                     help="settings file with netsuite_settings and import/export configs")
    common(run)
    run.add_argument("--out", default=".", metavar="DIR",
                     help="where to write <master_data_name>.jsonl (default: .)")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     dest="assignments", help="fill {NAME} placeholders, e.g. "
                     "--set last_modified_date=2024-01-01T00:00:00Z (repeatable)")
    run.add_argument("--only", action="append", metavar="NAME",
                     help="run only this import (repeatable; skips exports)")
    run.add_argument("--no-progress", action="store_true",
                     help="no progress bar even on a terminal")

    call = commands.add_parser(
        "call", help="call one operation and print the answer as JSON",
        description="Arguments are JSON: a list (positional), an object of parameter names, "
                    "or a single object with _ns_type; @FILE reads them from a file.")
    call.add_argument("method", metavar="METHOD", help="the operation, e.g. get, search, upsert")
    call.add_argument("args", nargs="?", default=None, metavar="JSON-ARGS",
                      help="the arguments as JSON, or @FILE")
    call.add_argument("--settings", metavar="CONFIG.json",
                      help="settings file (default: NETSUITE_ACCOUNT, … environment variables)")
    common(call)
    call.add_argument("--headers", default=None, metavar="JSON",
                      help='SOAP headers as JSON, e.g. \'{"searchPreferences": {"pageSize": 50}}\'')
    call.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                      help="for an asynchronous operation (asyncAddList, asyncSearch, ...): wait "
                           "up to this long for the job, then print what it did (every page "
                           "of a search) instead of the job id")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="netsuite-client: %(message)s", stream=sys.stderr)
    try:
        if args.command == "run":
            return run_command(args)
        return call_command(args)
    except ConfigError as error:
        return _fail(str(error), 2)
    except RequestError as error:
        return _fail(f"bad request: {error}", 2)
    except LoginError as error:
        return _fail(f"{error}\n{LOGIN_HINT}", 1)
    except NetSuiteError as error:
        return _fail(str(error), 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


def _fail(message: str, status: int) -> int:
    print(f"netsuite-client: {message}", file=sys.stderr)
    return status


def _client(settings: NetSuiteSettings, args):
    from client.netsuite_client import NetSuiteClient
    secrets = NetSuiteSecrets.load(args.secrets)
    cache = WsdlCache(disk=False) if args.no_wsdl_cache else None
    options = {"wsdl_cache": cache} if cache is not None else {}
    if args.record:
        options.update(record_to=args.record, record_fields=tuple(args.scrub_field))
    return NetSuiteClient(settings, secrets, **options)


def run_command(args) -> int:
    config = resolve(select(load_run_config(args.config), args.only),
                     parse_assignments(args.assignments))
    NetSuiteSecrets.load(args.secrets)  # a secrets problem is reported before the WSDL is fetched
    progress = Progress(enabled=False if args.no_progress else None)
    with _client(config.settings, args) as client:
        runner = Runner(client, args.out, progress=progress, report=sys.stdout)
        try:
            results = runner.run(config)
        finally:
            progress.close()
    failed = [r for r in results if not r.ok]
    imported = sum(r.records for r in results if r.kind == "import" and r.ok)
    stats = client.stats
    print(f"{len(results) - len(failed)} of {len(results)} done, {imported} records imported, "
          f"{stats.attempts} requests ({stats.total_retries} retried)"
          + (f"; FAILED: {', '.join(r.name for r in failed)}" if failed else ""))
    for result in failed:
        if isinstance(result.error, LoginError):
            print(f"netsuite-client: {LOGIN_HINT}", file=sys.stderr)
            break
    return 1 if failed else 0


def call_command(args) -> int:
    settings = NetSuiteSettings.load(args.settings)
    NetSuiteSecrets.load(args.secrets)
    call_args = _read_json(args.args, "JSON-ARGS") if args.args else None
    headers = _read_json(args.headers, "--headers") if args.headers else None
    if headers is not None and not isinstance(headers, dict):
        raise ConfigError("--headers must be a JSON object of header names")
    with _client(settings, args) as client:
        positional, named = _arguments(client, args.method, call_args)
        if args.wait is None:
            result = to_json(client.call(args.method, *positional, headers=headers, **named))
        else:
            job = client.submit(args.method, *positional, headers=headers, **named)
            status = job.wait(timeout=args.wait)
            result = {"jobId": job.job_id, "status": status,
                      "results": [to_json(item) for item in job]}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def _arguments(client, method: str, value) -> tuple[list, dict]:
    if value is None:
        return [], {}
    if isinstance(value, list):
        return value, {}
    if isinstance(value, dict) and TYPE_KEY not in value and value:
        if set(value) <= set(client.parameters(method)):
            return [], value
    return [value], {}


def _read_json(text: str, what: str):
    """JSON given on the command line, or read from the file named after ``@``."""
    if text.startswith("@"):
        return parse_jsonc(read_text(text[1:]), text[1:])
    return parse_jsonc(text, what)


if __name__ == "__main__":
    sys.exit(main())
