#!/usr/bin/env python3
"""Interleaved timing of commands: wall, CPU (user + sys) and peak RSS of each run, medians.

    measure.py RUNS OUT.json NAME=CMD [NAME=CMD ...]

Each round runs every command once, in the order given, so that `lanes lint` and the floor
see the same load. Per run: wall (monotonic clock around fork/wait), user and system time and
peak RSS of the child (wait4's rusage). Prints one line per command with the medians and writes
every run to OUT.json.
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "user": ru.ru_utime,
        "sys": ru.ru_stime,
        "cpu": ru.ru_utime + ru.ru_stime,
        "rss_mib": ru.ru_maxrss / 1024.0,
        "exit": p.returncode,
    }


def main():
    runs = int(sys.argv[1])
    out = sys.argv[2]
    cmds = []
    for spec in sys.argv[3:]:
        name, _, cmd = spec.partition("=")
        cmds.append((name, shlex.split(cmd)))
    # One warm-up round (page cache, binary).
    for _, cmd in cmds:
        run(cmd)
    results = {name: [] for name, _ in cmds}
    for _ in range(runs):
        for name, cmd in cmds:
            results[name].append(run(cmd))
    summary = {}
    for name, rs in results.items():
        med = {k: statistics.median(r[k] for r in rs) for k in ("wall", "user", "sys", "cpu", "rss_mib")}
        med["min_wall"] = min(r["wall"] for r in rs)
        med["max_wall"] = max(r["wall"] for r in rs)
        med["exits"] = sorted({r["exit"] for r in rs})
        summary[name] = med
        print(
            f"{name:24} wall {med['wall']:8.3f} s ({med['min_wall']:.3f} … {med['max_wall']:.3f})"
            f"  cpu {med['cpu']:8.3f} s (user {med['user']:.3f}, sys {med['sys']:.3f})"
            f"  rss {med['rss_mib']:8.1f} MiB  exit {med['exits']}",
            flush=True,
        )
    with open(out, "w") as f:
        json.dump({"runs": results, "median": summary, "load": os.getloadavg()}, f, indent=1)


if __name__ == "__main__":
    main()
