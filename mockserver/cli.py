"""``netsuite-mock``: run a mock NetSuite SuiteTalk (SOAP 2024_1) endpoint.

    netsuite-mock serve --port 8080 --seed demo
    netsuite-mock serve --settings config.json --secrets secrets.json
    netsuite-mock replay recordings/ --port 8081
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from mockserver.config import MockSettings, client_configurations, load_settings
from mockserver.domain.seed import SeedError
from suitetalk.config import ConfigError

DEFAULTS = MockSettings()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netsuite-mock",
        description="A mock of Oracle NetSuite's SuiteTalk SOAP web services (2024_1).")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve", help="start the mock",
        description="Start the mock. Every option can also come from a TOML file (--config), "
                    "from NETSUITE_MOCK_<OPTION> environment variables (e.g. "
                    "NETSUITE_MOCK_PORT=9000), or from the NetSuite settings and secrets files "
                    "your client already uses. Flags win over environment variables, which win "
                    "over --config, which wins over --settings/--secrets. --account, "
                    "--consumer-key, --consumer-secret, --token-id, --token-secret and "
                    "--concurrency-limit describe the one account the mock has when --config "
                    "defines no [[accounts]]; with [[accounts]] they are refused (set them in "
                    "the file).")
    serve.add_argument("--host", help=f"interface to listen on [default: {DEFAULTS.host}]")
    serve.add_argument("--port", type=int, help=f"port; 0 picks a free one [default: {DEFAULTS.port}]")
    serve.add_argument("--account", help=f"NetSuite account id, case-sensitive [default: {DEFAULTS.account}]")
    serve.add_argument("--consumer-key", help="integration consumer key")
    serve.add_argument("--consumer-secret", help="integration consumer secret")
    serve.add_argument("--token-id", help="access token id")
    serve.add_argument("--token-secret", help="access token secret")
    serve.add_argument("--concurrency-limit", type=int,
                       help=f"account concurrency limit [default: {DEFAULTS.concurrency_limit}]")
    serve.add_argument("--latency-ms", type=float,
                       help="hold every request this long, so bursts really overlap [default: 0]")
    serve.add_argument("--seed", help="demo (built-in accounts-payable data), none, or a path "
                                      "to a JSON seed file [default: demo]")
    serve.add_argument("--threads", type=int,
                       help="worker threads [default: enough for every account to fill its "
                            "concurrency limit and still refuse the next request at once]")
    serve.add_argument("--request-timeout", type=float, dest="request_timeout_s", metavar="SECONDS",
                       help=f"cut requests off after this long, as NetSuite does "
                            f"[default: {DEFAULTS.request_timeout_s:g}]")
    serve.add_argument("--async-job-seconds", type=float, dest="async_job_s",
                       metavar="SECONDS",
                       help="how long an asynchronous job (asyncAddList, asyncSearch, ...) "
                            "takes: processing until then, done after [default: 0]")
    serve.add_argument("--state", metavar="PATH",
                       help="keep the records in this SQLite file across restarts (a write is "
                            "acknowledged only once committed) [default: in memory]")
    serve.add_argument("--hostname", help="hostname reported in fault details")
    serve.add_argument("--admin-token", metavar="TOKEN",
                       help="require this token for the admin API and dashboard; without it "
                            "they answer only to clients on this machine")
    serve.add_argument("--log-level", choices=["debug", "info", "warning", "error"],
                       help="server log level [default: info]")
    serve.add_argument("--config", "--scenario", metavar="TOML", dest="config",
                       help="a scenario file: any of these options plus accounts, integrations, "
                            "tokens, roles, latency models and fault rules (docs/scenarios.md)")
    serve.add_argument("--settings", metavar="JSON",
                       help="your NetSuite settings file (netsuite_settings.account and "
                            "concurrency_limit are used)")
    serve.add_argument("--secrets", metavar="JSON",
                       help="your NetSuite secrets file (consumer_key, consumer_secret, "
                            "token_key, token_secret)")
    serve.add_argument("--quiet", action="store_true", help="do not print client settings")

    replay = commands.add_parser(
        "replay", help="serve recorded interactions (vcrpy cassettes) as an endpoint",
        description="Serve the interactions of netsuite-contracts / vcrpy cassettes as a "
                    "NetSuite endpoint, with the WSDL, for clients that cannot use vcrpy. Each "
                    "SOAP request gets the recorded answer of the first interaction not played "
                    "yet whose SOAPAction and canonical body match it; one that matches nothing "
                    "gets a SOAP fault naming the nearest recorded request, with a diff.")
    replay.add_argument("cassettes", nargs="+", metavar="CASSETTE",
                        help="cassette files, or directories of them (*.yaml)")
    replay.add_argument("--host", default="127.0.0.1", help="interface to listen on "
                                                            "[default: 127.0.0.1]")
    replay.add_argument("--port", type=int, default=8080,
                        help="port; 0 picks a free one [default: 8080]")
    replay.add_argument("--scrub-field", action="append", default=[], metavar="NAME",
                        help="an element the cassettes were recorded with scrubbed "
                             "(repeatable), so live requests match them")
    replay.add_argument("--quiet", action="store_true", help="print only the URLs")
    return parser


def replay(args: argparse.Namespace) -> int:
    from contracts.cassette import CassetteError, load
    from contracts.replay import replay_server
    from contracts.scrub import Scrubber, iter_files

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        cassettes = [load(path) for path in iter_files(args.cassettes)]
    except CassetteError as error:
        raise ConfigError(str(error)) from None
    if not cassettes:
        raise ConfigError("no cassettes found in " + ", ".join(args.cassettes))
    server = replay_server(cassettes, host=args.host, port=args.port,
                           scrubber=Scrubber(fields=tuple(args.scrub_field)))
    count = sum(len(c.interactions) for c in cassettes)
    print(f"netsuite-mock replay: {count} interactions from {len(cassettes)} cassette(s) on "
          f"{server.url}\nWSDL:    {server.wsdl_url}\nService: {server.service_url}\n"
          f"Status:  {server.url}/__replay", flush=True)
    return run_until_interrupted(server.start())


def run_until_interrupted(server) -> int:
    """Wait for a started server until Ctrl-C (or until it stops), then close it."""
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def print_banner(settings: MockSettings, server) -> None:
    """Where the mock listens, then the settings and secrets of every client it accepts (one
    per access token), each ready to paste into the client's files."""
    base = server.url
    print(f"netsuite-mock listening on {server.listen_url} (seed: {settings.seed})")
    if server.listen_url != base:
        print(f"         every interface; from this machine: {base}")
    print(f"WSDL:    {server.wsdl_url}\nService: {server.service_url}\n"
          f"Admin:   {base}/__admin/   Dashboard: {base}/__admin/ui")
    configurations = client_configurations(settings, server.backend, base)
    for number, configuration in enumerate(configurations, 1):
        count = f" {number} of {len(configurations)}" if len(configurations) > 1 else ""
        print(f"\nClient{count}: {configuration.label}")
        print("Client settings (settings.json):")
        print(json.dumps(configuration.settings, indent=2))
        print("Client secrets (secrets.json):")
        print(json.dumps(configuration.secrets, indent=2, ensure_ascii=False))
    if not configurations:
        print("\nNo access tokens are defined: no client can log in.")
    print("\nPress Ctrl-C to stop.", flush=True)


def warn_if_exposed(settings: MockSettings, server) -> None:
    """The default credentials are published: on an address others can reach, anyone could
    use the mock with them."""
    defaults = MockSettings()
    published = [name for name in ("consumer_key", "consumer_secret", "token_id",
                                   "token_secret") if getattr(settings, name) ==
                 getattr(defaults, name)]
    if server.beyond_loopback and published and not settings.accounts:
        print(f"netsuite-mock: WARNING: {server.listen_url} is reachable beyond this machine, "
              f"and the mock takes the published default {', '.join(published)}: anyone who "
              f"can reach it can read and change the mock's records. Set your own credentials "
              f"(--secrets, "
              f"--consumer-key, --token-id, ...) or listen on 127.0.0.1.",
              file=sys.stderr, flush=True)


def serve(args: argparse.Namespace) -> int:
    flags = {name: getattr(args, name) for name in (
        "host", "port", "account", "consumer_key", "consumer_secret", "token_id", "token_secret",
        "concurrency_limit", "latency_ms", "seed", "threads", "hostname", "log_level",
        "request_timeout_s", "async_job_s", "state", "admin_token")}
    settings = load_settings(settings_file=args.settings, secrets_file=args.secrets,
                             config_file=args.config, flags=flags)
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    from mockserver.server import MockServer

    # Listen at once and serve the WSDL while the backend, the seed and Spyne load.
    try:
        server = MockServer(settings, starting=True).start()
    except OSError as error:  # e.g. the port is taken: bad input, named
        raise ConfigError(f"cannot listen on {settings.host}:{settings.port}: "
                          f"{error.strerror or error}") from error
    try:
        server.ready(hurry=False)  # a bad seed or state file stops the mock here
    except BaseException:
        server.stop()
        raise
    warn_if_exposed(settings, server)
    if not args.quiet:
        print_banner(settings, server)
    return run_until_interrupted(server)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return replay(args) if args.command == "replay" else serve(args)
    except (ConfigError, SeedError) as error:
        print(f"netsuite-mock: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # e.g. the port is taken
        print(f"netsuite-mock: cannot start: {error.strerror or error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
