#!/usr/bin/env python3
"""Reads the output of Collab4J's `bench` and of torch_loop.py and prints ratings/s of both and their ratio.

Usage: compare.py COLLAB4J_OUTPUT PYTORCH_OUTPUT
Both print EPOCH json lines with ratings_per_s; the first epoch (warm-up, allocator growth) is left out when there
are more. Exit status 2 when a file has no EPOCH line (a run failed: its output says why).
"""
import json, sys


def rates(path):
    config, epochs = {}, []
    with open(path) as f:
        for line in f:
            if line.startswith("CONFIG "):
                config = json.loads(line[7:])
            elif line.startswith("EPOCH "):
                epochs.append(json.loads(line[6:]))
    if not epochs:
        sys.exit("no EPOCH line in %s: the run failed (see that file)" % path)
    steady = epochs[1:] if len(epochs) > 1 else epochs
    return config, sum(e["ratings_per_s"] for e in steady) / len(steady), steady


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    c_conf, c_rate, c_eps = rates(sys.argv[1])
    p_conf, p_rate, _ = rates(sys.argv[2])
    calls = c_eps[-1].get("native_calls_per_step")
    syncs = c_eps[-1].get("syncs_per_step")
    print("collab4j  %12.0f ratings/s  (step %s, device %s%s)" % (
        c_rate, c_conf.get("step"), c_conf.get("device"),
        "" if calls is None else ", %.0f native calls and %.0f syncs per step" % (calls, syncs)))
    print("pytorch   %12.0f ratings/s  (torch %s, %s, %s)" % (
        p_rate, p_conf.get("torch"), p_conf.get("device"), p_conf.get("optimizer")))
    print("ratio     %12.2f (pytorch / collab4j; the target is <= 1.5)" % (p_rate / c_rate))
    print("RESULT " + json.dumps({"collab4j_ratings_per_s": round(c_rate), "pytorch_ratings_per_s": round(p_rate),
                                  "ratio": round(p_rate / c_rate, 3)}))


if __name__ == "__main__":
    main()
