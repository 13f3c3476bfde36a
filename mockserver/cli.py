"""``netsuite-mock``: run a mock NetSuite SuiteTalk (SOAP 2024_1) endpoint.

    netsuite-mock serve --port 8080 --seed demo
    netsuite-mock serve --settings config.json --secrets secrets.json
    netsuite-mock replay recordings/ --port 8081
    netsuite-mock record --upstream https://1234567-sb1.suitetalk.api.netsuite.com \
        --cassette session.yaml --settings settings.json --port 8082
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import signal
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
                       help="no longer used: every connection has its own thread (accepted so "
                            "existing scripts still start; it logs a warning)")
    serve.add_argument("--connection-limit", type=int, metavar="N",
                       help="open connections held at once; more wait to be accepted "
                            "[default: the concurrency limits plus 1000]")
    serve.add_argument("--idle-timeout", type=float, dest="idle_timeout_s", metavar="SECONDS",
                       help=f"close a connection that sends nothing for this long between "
                            f"requests or inside one [default: {DEFAULTS.idle_timeout_s:g}]")
    serve.add_argument("--header-timeout", type=float, dest="header_timeout_s",
                       metavar="SECONDS",
                       help=f"close a connection whose request headers have not all arrived "
                            f"this long after they began [default: {DEFAULTS.header_timeout_s:g}]")
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
    serve.add_argument("--mode", choices=["mock", "proxy-unmatched"],
                       help="proxy-unmatched: a request the mock answers with RCRD_DSNT_EXIST "
                            "or INVALID_KEY_OR_REF (its records lack what was asked) and no "
                            "fault rule decided goes to --upstream, whose answer the client "
                            "gets [default: mock]")
    serve.add_argument("--upstream", metavar="URL",
                       help="where --mode proxy-unmatched sends what the mock cannot answer: a "
                            "sandbox's https://<account>.suitetalk.api.netsuite.com or another "
                            "netsuite-mock")
    serve.add_argument("--quiet", action="store_true",
                       help="print only where the mock listens, not the client settings")
    add_start_options(serve)

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
    add_start_options(replay)

    record = commands.add_parser(
        "record", help="a recording proxy: forward to NetSuite (or a mock), write a cassette",
        description="Listen like the mock and forward every request to the upstream, answering "
                    "with its answer unchanged; write each SOAP exchange to the cassette, "
                    "scrubbed as netsuite-client --record scrubs (TokenPassport, passwords, "
                    "the account id, known secrets, --scrub-field elements). WSDL and XSD "
                    "downloads pass through, the WSDL's soap:address pointing at the proxy. "
                    "Point any client (Java, PHP, .NET, Node) at the proxy's WSDL or service "
                    "URL; netsuite-mock replay and netsuite-contracts verify read the cassette.")
    record.add_argument("--upstream", required=True, metavar="URL",
                        help="where requests go: https://<account>.suitetalk.api.netsuite.com "
                             "or a netsuite-mock's base URL (a service URL works too)")
    record.add_argument("--cassette", required=True, metavar="FILE",
                        help="the cassette to write (replaced)")
    record.add_argument("--host", default="127.0.0.1", help="interface to listen on "
                                                            "[default: 127.0.0.1]")
    record.add_argument("--port", type=int, default=8080,
                        help="port; 0 picks a free one [default: 8080]")
    record.add_argument("--settings", metavar="JSON",
                        help="your NetSuite settings file: its account id is scrubbed [default: "
                             "the upstream's NetSuite host name, else the first request's "
                             "TokenPassport]")
    record.add_argument("--secrets", metavar="JSON",
                        help="your NetSuite secrets file: its values are scrubbed wherever "
                             "they appear")
    record.add_argument("--scrub-field", action="append", default=[], metavar="NAME",
                        help="also scrub this element's value (repeatable), e.g. email")
    record.add_argument("--quiet", action="store_true", help="print only the URLs")
    add_start_options(record)
    return parser


def add_start_options(parser: argparse.ArgumentParser) -> None:
    """How scripts and other languages' test harnesses learn where a server started on
    ``--port 0`` listens, once it is ready."""
    parser.add_argument("--port-file", metavar="PATH",
                        help="once ready, write the port to this file (removed on exit)")
    parser.add_argument("--ready-json", action="store_true",
                        help="once ready, print one JSON line first: url, port, wsdl_url, "
                             "service_url, account, admin_url")


def ready_facts(server, account: str | None, admin_url: str) -> dict:
    """What ``--ready-json`` prints: where the server listens, as one JSON object."""
    return {"url": server.url, "port": int(server.port), "wsdl_url": server.wsdl_url,
            "service_url": server.service_url, "account": account, "admin_url": admin_url}


def announce(args: argparse.Namespace, server, facts: dict) -> None:
    """Write ``--port-file`` (atomically: a script polling for the file never reads half of
    it), then print ``--ready-json``'s line; a file that cannot be written stops the server."""
    if args.port_file:
        tmp = f"{args.port_file}.{os.getpid()}.tmp"
        try:
            with open(tmp, "w", encoding="ascii") as handle:
                handle.write(f"{facts['port']}\n")
            os.replace(tmp, args.port_file)
        except OSError as error:
            server.stop()
            raise ConfigError(f"cannot write the port file {args.port_file}: "
                              f"{error.strerror or error}") from None
        # a harness stops the mock with SIGTERM: stop as on Ctrl-C, so the file goes too
        signal.signal(signal.SIGTERM, _interrupt)
    if args.ready_json:  # last: a harness that has read the line finds the port file there
        print(json.dumps(facts), flush=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def withdraw(args: argparse.Namespace) -> None:
    """Remove ``--port-file`` once the server has stopped: a stale port misleads scripts."""
    if args.port_file:
        try:
            os.remove(args.port_file)
        except OSError:
            pass


def replay(args: argparse.Namespace) -> int:
    from contracts.cassette import CassetteError, load
    from contracts.replay import replay_server
    from contracts.scrub import Scrubber, iter_files

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        cassettes = [load(path) for path in iter_files(args.cassettes)]
    except CassetteError as error:
        raise ConfigError(str(error)) from None
    if not cassettes:
        raise ConfigError("no cassettes found in " + ", ".join(args.cassettes))
    server = replay_server(cassettes, host=args.host, port=args.port,
                           scrubber=Scrubber(fields=tuple(args.scrub_field)))
    count = sum(len(c.interactions) for c in cassettes)
    server.start()
    return run_announced(args, server, ready_facts(server, None, f"{server.url}/__replay"),
                         lambda: print(
        f"netsuite-mock replay: {count} interactions from {len(cassettes)} cassette(s) on "
        f"{server.url}\nWSDL:    {server.wsdl_url}\nService: {server.service_url}\n"
        f"Status:  {server.url}/__replay", flush=True))


def record(args: argparse.Namespace) -> int:
    from contracts.proxy import recording_proxy_server
    from suitetalk.config import NetSuiteSecrets, NetSuiteSettings

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = NetSuiteSettings.from_file(args.settings) if args.settings else None
    secrets = NetSuiteSecrets.from_file(args.secrets) if args.secrets else None
    try:
        server = recording_proxy_server(args.upstream, args.cassette, host=args.host,
                                        port=args.port, settings=settings, secrets=secrets,
                                        fields=tuple(args.scrub_field))
    except ValueError as error:
        raise ConfigError(str(error)) from None
    server.start()
    facts = ready_facts(server, settings.account if settings else None, f"{server.url}/__record")
    return run_announced(args, server, facts, lambda: print(
        f"netsuite-mock record: {server.url} -> {server.app.upstream}, writing {args.cassette}\n"
        f"WSDL:    {server.wsdl_url}\nService: {server.service_url}\n"
        f"Status:  {server.url}/__record", flush=True))


def run_announced(args: argparse.Namespace, server, facts: dict, show) -> int:
    """A started server: announce it (``--ready-json``, ``--port-file``), ``show`` what it is,
    run it until interrupted, and take the port file back."""
    announce(args, server, facts)
    try:
        show()
        return run_until_interrupted(server)
    finally:
        withdraw(args)


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
        "concurrency_limit", "latency_ms", "seed", "threads", "connection_limit",
        "idle_timeout_s", "header_timeout_s", "hostname", "log_level",
        "request_timeout_s", "async_job_s", "state", "admin_token", "mode", "upstream")}
    settings = load_settings(settings_file=args.settings, secrets_file=args.secrets,
                             config_file=args.config, flags=flags)
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

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
    settle_process()
    warn_if_exposed(settings, server)
    facts = ready_facts(server, server.backend.default_account.account_id,
                        f"{server.url}/__admin/")

    def show() -> None:
        if args.quiet:  # the port is never hidden: --port 0 is useless without it
            print(f"netsuite-mock listening on {server.listen_url}", flush=True)
        else:
            print_banner(settings, server)
    return run_announced(args, server, facts, show)


def settle_process() -> None:
    """Tune the interpreter of a process that runs one mock and nothing else.

    - What the mock built at start (the schema, the Spyne service, the seed) is left out of
      Python's cyclic garbage collector: a full collection walks every object, and with them in
      it one came every few thousand requests and held all the others for tens of milliseconds
      (p99 of a ``get`` at 8 connections: 15 ms with them, 5 to 6 ms without). What is frozen is
      never collected, so only a process with one mock may do this.
    - Threads take turns at the interpreter every millisecond instead of every five, so a quick
      request next to a slow one (a 1000-record search page) waits less for its turns: a ``get``
      while pages ran on another connection took 3 ms (median; 8 ms p90) instead of 8 ms (16 ms),
      for about 7% fewer ``get``s a second when eight connections send nothing else
      (benchmarks/README.md, "The HTTP server")."""
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(0.001)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        command = {"replay": replay, "record": record}.get(args.command, serve)
        return command(args)
    except (ConfigError, SeedError) as error:
        print(f"netsuite-mock: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # e.g. the port is taken
        print(f"netsuite-mock: cannot start: {error.strerror or error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
