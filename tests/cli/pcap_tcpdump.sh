#!/usr/bin/env bash
# NAME.pcap as tcpdump reads it (an independent reader of our pcap writer, issue: "tcpdump/Wireshark
# read it"): runs the TCP server echo scenario, then checks with tcpdump that the capture holds the
# client's handshake to port 23, both payloads with their lengths, and virtual timestamps from 0 s.
# Usage: pcap_tcpdump.sh K7SIM SCENARIO OUTDIR
set -euo pipefail
k7sim=$1 scenario=$2 out=$3
rm -rf "$out"
"$k7sim" run "$scenario" --report-dir "$out" >/dev/null
pcap="$out/net-server-echo.pcap"
text=$(tcpdump -nn -tt -r "$pcap" 2>/dev/null)
fail() { echo "pcap_tcpdump: $*"; echo "$text" | head -40; exit 1; }
grep -q "ARP, Request who-has 192.168.0.7" <<<"$text" || fail "no ARP request for the device"
grep -Eq "192\.168\.0\.201\.[0-9]+ > 192\.168\.0\.7\.23: Flags \[S\]" <<<"$text" || fail "no SYN to port 23"
grep -Eq "192\.168\.0\.7\.23 > 192\.168\.0\.201\.[0-9]+: Flags \[S\.\]" <<<"$text" || fail "no SYN-ACK from port 23"
grep -Eq "192\.168\.0\.201\.[0-9]+ > 192\.168\.0\.7\.23: Flags \[P\.\].*length 22" <<<"$text" || fail "no 22-byte payload to the device"
grep -Eq "192\.168\.0\.7\.23 > 192\.168\.0\.201\.[0-9]+: Flags \[P\.\].*length 26" <<<"$text" || fail "no 26-byte payload from the device"
first=$(head -1 <<<"$text" | cut -d' ' -f1)
[[ $first == 0.* ]] || fail "first timestamp $first is not virtual time near 0 s"
echo "pcap_tcpdump: ok ($(wc -l <<<"$text") frames)"
