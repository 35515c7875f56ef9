#!/usr/bin/env python3
"""`k7sim run --trace-rtl --report-dir DIR`: every scenario on the UART RTL has NAME.rtl.vcd with the
RTL's internal signals (the receiver's state among them) and strictly increasing timestamps, and
changes in it; scenarios on the C++ model have none; NAME.vcd (pins and lines) is there for all."""
import json
import sys
from pathlib import Path

def fail(msg):
    print("check_rtl_trace:", msg)
    sys.exit(1)

d = Path(sys.argv[1])
report = json.loads((d / "report.json").read_text())
rtl = 0
for sc in report["scenarios"]:
    stem = "".join(ch if ch.isalnum() or ch in "-_." else ("-" if ch == "=" else "_") for ch in sc["name"])
    if not (d / (stem + ".vcd")).exists():
        fail("missing " + stem + ".vcd")
    trace = d / (stem + ".rtl.vcd")
    if sc["serial_model"] != "rtl":
        if trace.exists():
            fail(stem + ".rtl.vcd written for a scenario on the C++ model")
        continue
    rtl += 1
    if not trace.exists():
        fail("missing " + stem + ".rtl.vcd")
    lines = trace.read_text().splitlines()
    if "$timescale 1ps $end" not in lines or not any(l.strip().startswith("$enddefinitions") for l in lines):
        fail(stem + ".rtl.vcd: header missing")
    scopes = [l.split()[2] for l in lines if l.strip().startswith("$scope")]
    if "u_rx" not in scopes or "u_tx" not in scopes:
        fail(stem + ".rtl.vcd: the RTL's submodules are not traced")
    if not any(l.strip().startswith("$var") and " state " in l for l in lines):
        fail(stem + ".rtl.vcd: no internal state signal")
    # One sample per RTL edge: how many depends on the clocking (fast-forward passes the enables at
    # which nothing acts within one edge), so only a floor that any exchange of characters exceeds.
    times = [int(l[1:]) for l in lines if l.startswith("#")]
    if len(times) < 20 or any(b <= a for a, b in zip(times, times[1:])):
        fail(stem + ".rtl.vcd: too few samples or timestamps not increasing")
if rtl == 0:
    fail("no scenario on the UART RTL in this report")
print("rtl trace ok:", rtl, "scenarios")
