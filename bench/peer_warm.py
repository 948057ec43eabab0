#!/usr/bin/env python3
"""Warm runs of a Python peer responder: one process, one event after another.

The harness gives the peer one event per process. For the warm figure over
fresh instances it runs this script instead. It loads the peer's script as a
module once, builds its clients once, and calls its handler on each event in
turn, as the Lambda Python runtime does in a warm environment. The
peer's script must define make_clients(endpoint, region) and
handler(event, clients), and handler must return a dict with
network_isolated_s, seconds from the module's PROCESS_START.

    peer_warm.py PEER_SCRIPT --endpoint-url URL --region REGION EVENT.json...

Prints one JSON line: for each event after the first, the seconds from the
handler's call to its return and to network isolation, and how many events
raised.
"""
import argparse
import importlib.util
import json
import sys
import time


def load(path):
    spec = importlib.util.spec_from_file_location("quell_bench_peer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("make_clients", "handler", "PROCESS_START"):
        if not hasattr(module, name):
            sys.exit(f"{path} defines no {name}; the warm driver needs make_clients, handler and PROCESS_START")
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peer_script")
    parser.add_argument("--endpoint-url")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("events", nargs="+")
    args = parser.parse_args()
    peer = load(args.peer_script)
    clients = peer.make_clients(args.endpoint_url, args.region)
    per_event, to_isolation, failed = [], [], 0
    for index, path in enumerate(args.events):
        with open(path) as f:
            event = json.load(f)
        start = time.perf_counter()
        try:
            marks = peer.handler(event, clients)
        except Exception as e:  # a failed event is counted and the next one goes on, as in Lambda
            print(f"event {index} failed: {e!r}", file=sys.stderr)
            failed += 1
            continue
        end = time.perf_counter()
        if index == 0:
            continue  # the first event pays the cold costs; the warm figures leave it out
        per_event.append(end - start)
        to_isolation.append(marks["network_isolated_s"] - (start - peer.PROCESS_START))
    print(json.dumps({"per_event_s": per_event, "network_isolated_s": to_isolation, "failed": failed}))


if __name__ == "__main__":
    main()
