"""``netsuite-contracts``: check cassettes for secrets, and endpoints against cassettes.

    netsuite-contracts scan recordings/
    netsuite-contracts verify recordings/ --mock
    netsuite-contracts verify my-session.yaml --against http://127.0.0.1:8080

Exit status: 0 all good; 1 a secret found, or an interaction diverged (or could not be run);
2 a file or option to fix.
"""

from __future__ import annotations

import argparse
import os
import sys

from contracts.endpoints import endpoint_for, mock_endpoint
from contracts.verify import IGNORED_VALUES, verify
from suitetalk.config import ConfigError, NetSuiteSecrets, NetSuiteSettings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netsuite-contracts",
        description="Contract tests for NetSuite SuiteTalk SOAP: scan cassettes for secrets, "
                    "verify an endpoint (netsuite-mock by default) against recorded sessions.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    scan = commands.add_parser(
        "scan", help="fail if a cassette holds anything secret-like",
        description="Look through files (directories: every file below) for secrets: known "
                    "values (--secrets, NETSUITE_* variables), TokenPassport or password "
                    "elements that are not scrubbed, HMAC signatures, long random tokens, "
                    "account ids in NetSuite host names and nsIds, credential HTTP headers.")
    scan.add_argument("paths", nargs="+", metavar="PATH")
    scan.add_argument("--secrets", metavar="SECRETS.json",
                      help="a secrets file whose values must appear nowhere")
    scan.add_argument("--settings", metavar="SETTINGS.json",
                      help="a settings file whose account id must appear nowhere")
    scan.add_argument("--allow", action="append", default=[], metavar="REGEX",
                      help="ignore findings whose text matches (repeatable)")

    check = commands.add_parser(
        "verify", help="replay cassettes against the mock (or an endpoint) and compare",
        description="Seed the target with the records each cassette shows, send every recorded "
                    "request again (signed afresh) and compare the answers with the recorded "
                    "ones, ignoring nsId, searchId, jobId, hostname, server timestamps and "
                    "customers' and vendors' balances and "
                    "mapping the internal ids writes assigned. One line per interaction, a diff "
                    "for each divergence, a summary.")
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="cassette files, or directories of them (*.yaml)")
    where = check.add_mutually_exclusive_group()
    where.add_argument("--mock", action="store_true",
                       help="start a netsuite-mock for the run (the default)")
    where.add_argument("--against", metavar="URL",
                       help="a running endpoint: a netsuite-mock's base URL (its records are "
                            "replaced by each cassette's, through its admin API) or a service "
                            "URL")
    check.add_argument("--settings", metavar="SETTINGS.json",
                       help="the target's account (with --against; default NETSUITE_ACCOUNT)")
    check.add_argument("--secrets", metavar="SECRETS.json",
                       help="the target's TBA secrets (with --against; default NETSUITE_*)")
    check.add_argument("--admin-token", metavar="TOKEN",
                       help="the admin token of a netsuite-mock started with one")
    check.add_argument("--ignore", action="append", default=[], metavar="NAME",
                       help="also ignore the value of this element (repeatable)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "scan":
            return scan_command(args)
        return verify_command(args)
    except ConfigError as error:
        print(f"netsuite-contracts: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("netsuite-contracts: interrupted", file=sys.stderr)
        return 130


def scan_command(args) -> int:
    from contracts.scrub import scan_paths
    known: list[str] = []
    if args.secrets:
        s = NetSuiteSecrets.from_file(args.secrets)
        known += [s.consumer_key, s.consumer_secret, s.token_key, s.token_secret]
    known += [os.environ[v] for v in NetSuiteSecrets.ENV.values() if os.environ.get(v)]
    if args.settings:
        known.append(NetSuiteSettings.from_file(args.settings).account)
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise ConfigError(f"no such file or directory: {', '.join(missing)}")
    files, findings = scan_paths(args.paths, known=tuple(known), allow=tuple(args.allow))
    for finding in findings:
        print(finding)
    if findings:
        print(f"netsuite-contracts scan: {len(findings)} possible secret(s) in "
              f"{len({f.path for f in findings})} of {len(files)} file(s)")
        return 1
    print(f"netsuite-contracts scan: {len(files)} file(s), nothing secret-like found")
    return 0


def verify_command(args) -> int:
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise ConfigError(f"no such file or directory: {', '.join(missing)}")
    ignored = IGNORED_VALUES + tuple(args.ignore)
    if args.against:
        target = endpoint_for(args.against, settings_path=args.settings,
                              secrets_path=args.secrets, admin_token=args.admin_token)
        if target.admin is None:
            print(f"note: {args.against} has no netsuite-mock admin API: nothing is seeded and "
                  f"recorded concurrency faults are skipped, so the account must already hold "
                  f"the records the cassettes show", file=sys.stderr)
        report = verify(args.paths, target, sys.stdout, ignored=ignored)
    else:
        from mockserver.config import MockSettings
        from mockserver.server import MockServer
        with MockServer(MockSettings(port=0, seed="none", log_level="warning")) as server:
            report = verify(args.paths, mock_endpoint(server), sys.stdout, ignored=ignored)
    return 0 if report.ok else 1




if __name__ == "__main__":
    sys.exit(main())
