#!/usr/bin/env python3
"""Structural checks of a report directory written by `k7sim run --report-dir DIR`:
junit.xml is well-formed JUnit (testsuites/testsuite/testcase, counts add up), report.json parses
and agrees with it, every scenario has its artefacts, each VCD has a header, declares its signals
and has non-decreasing timestamps, each pcap starts with the classic pcap header (Ethernet)."""
import json
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

def fail(msg):
    print("check_reports:", msg)
    sys.exit(1)

d = Path(sys.argv[1])
root = ET.parse(d / "junit.xml").getroot()
if root.tag != "testsuites":
    fail("junit root is not <testsuites>")
cases = root.findall("./testsuite/testcase")
if int(root.get("tests")) != len(cases):
    fail("junit tests= does not match the testcases")
for suite in root.findall("testsuite"):
    if int(suite.get("tests")) != len(suite.findall("testcase")):
        fail("testsuite count mismatch in " + suite.get("name"))
report = json.loads((d / "report.json").read_text())
if len(report["scenarios"]) != len(cases):
    fail("report.json and junit.xml disagree on the number of scenarios")
failed_junit = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
if report["summary"]["failed"] != failed_junit:
    fail("failed counts disagree")
for sc in report["scenarios"]:
    stem = "".join(ch if ch.isalnum() or ch in "-_." else ("-" if ch == "=" else "_") for ch in sc["name"])
    for ext in (".vcd", ".pcap", ".serial.log", ".console.log"):
        if not (d / (stem + ext)).exists():
            fail("missing " + stem + ext)
    vcd = (d / (stem + ".vcd")).read_text().splitlines()
    if "$enddefinitions $end" not in vcd or not any(l.startswith("$var wire 1 t txd") for l in vcd):
        fail(stem + ".vcd: header or signals missing")
    times = [int(l[1:]) for l in vcd if l.startswith("#")]
    if times != sorted(times):
        fail(stem + ".vcd: timestamps go backwards")
    rx = sc.get("module_uart_rx")
    if rx is None or sc.get("serial_model") not in ("fast", "rtl"):
        fail(sc["name"] + ": report.json lacks module_uart_rx / serial_model")
    for key in ("chars", "framing_errors", "parity_errors", "breaks", "overruns", "noise_bits_flipped"):
        if not isinstance(rx.get(key), int) or rx[key] < 0:
            fail(sc["name"] + ": module_uart_rx." + key + " is not a count")
    if rx["framing_errors"] + rx["breaks"] > rx["chars"] or rx["parity_errors"] > rx["chars"]:
        fail(sc["name"] + ": module_uart_rx counts more errors than characters")
    case = next(c for c in cases if c.get("name") == sc["name"])
    props = {p.get("name"): p.get("value") for p in case.findall("./properties/property")}
    for key in ("chars", "framing_errors", "parity_errors", "breaks", "overruns", "noise_bits_flipped"):
        if props.get("module_uart_rx." + key) != str(rx[key]):
            fail(sc["name"] + ": junit property module_uart_rx." + key + " disagrees with report.json")
    log = (d / (stem + ".serial.log")).read_text()
    if "# module UART received %d characters: %d framing, %d parity, %d break, %d overrun" % (
            rx["chars"], rx["framing_errors"], rx["parity_errors"], rx["breaks"], rx["overruns"]) not in log:
        fail(stem + ".serial.log: module UART counts missing or disagree with report.json")
    html = (d / "report.html").read_text()
    if "module UART (" not in html:
        fail("report.html: no module UART counts")
    magic, major, minor, _, _, snap, link = struct.unpack("<IHHiIII", (d / (stem + ".pcap")).read_bytes()[:24])
    if magic != 0xA1B2C3D4 or (major, minor) != (2, 4) or link != 1:
        fail(stem + ".pcap: not a classic Ethernet pcap")
print("reports ok:", len(cases), "scenarios")
