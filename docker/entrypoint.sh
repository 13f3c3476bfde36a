#!/bin/sh
# The container's entrypoint: netsuite-mock, listening on every interface of the container
# (reachable only where `docker run -p` publishes its port) unless --host or
# NETSUITE_MOCK_HOST says otherwise. No arguments: `serve --seed demo`; arguments that start
# with `-` are options of `serve`; anything else (`replay …`, `--help`) goes to netsuite-mock.
set -e
if [ "$#" -eq 0 ]; then
    set -- serve --seed demo
fi
case "$1" in
    -*) set -- serve "$@" ;;
esac
if [ "$1" = "serve" ] && [ -z "${NETSUITE_MOCK_HOST:-}" ]; then
    case " $* " in
        *" --host "* | *" --host="*) ;;
        *) shift; set -- serve --host 0.0.0.0 "$@" ;;
    esac
fi
exec netsuite-mock "$@"
