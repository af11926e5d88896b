#!/usr/bin/env python3
"""Markdown tables from bench/measure.py's JSON files: lanes against the floor, per corpus.

    report.py DIR NAME...      (reads DIR/NAME.json for each corpus NAME, e.g. c10k c100k)
"""
import json
import os
import sys


def main():
    d = sys.argv[1]
    names = sys.argv[2:]
    data = {}
    for n in names:
        p = os.path.join(d, n + ".json")
        if os.path.exists(p):
            with open(p) as f:
                data[n] = json.load(f)
    print("| corpus | lanes wall | lanes CPU (user+sys) | lanes peak RSS | floor wall | floor CPU "
          "| floor RSS | parse-only wall | parse-only RSS | wall lanes/floor | CPU lanes/floor "
          "| load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, j in data.items():
        m = j["median"]
        lanes, floor = m["lanes"], m["floor"]
        po = m.get("parse_only")
        po_wall = f"{po['wall']:.3f} s" if po else "—"
        po_rss = f"{po['rss_mib']:.0f} MiB" if po else "—"
        print(
            f"| {n} | {lanes['wall']:.3f} s ({lanes['min_wall']:.3f} … {lanes['max_wall']:.3f}) "
            f"| {lanes['cpu']:.3f} s ({lanes['user']:.3f} + {lanes['sys']:.3f}) "
            f"| {lanes['rss_mib']:.0f} MiB "
            f"| {floor['wall']:.3f} s | {floor['cpu']:.3f} s | {floor['rss_mib']:.0f} MiB "
            f"| {po_wall} | {po_rss} "
            f"| **{lanes['wall'] / floor['wall']:.2f}** | **{lanes['cpu'] / floor['cpu']:.2f}** "
            f"| {' '.join(f'{x:.1f}' for x in j['load'])} |"
        )
    if "c10k" in data and "c100k" in data:
        a, b = data["c10k"]["median"], data["c100k"]["median"]
        print()
        print(
            f"Growth 100k / 10k: lanes wall {b['lanes']['wall'] / a['lanes']['wall']:.1f}x, "
            f"CPU {b['lanes']['cpu'] / a['lanes']['cpu']:.1f}x, "
            f"RSS {b['lanes']['rss_mib'] / a['lanes']['rss_mib']:.1f}x; "
            f"floor wall {b['floor']['wall'] / a['floor']['wall']:.1f}x."
        )


if __name__ == "__main__":
    main()
