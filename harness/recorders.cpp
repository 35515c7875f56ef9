#include "harness/recorders.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include "harness/values.h"

namespace k7sim {

namespace {

std::ofstream open_out(const std::string& path, bool binary = false) {
  std::ofstream f(path, binary ? std::ios::binary : std::ios::out);
  if (!f) throw std::runtime_error(path + ": cannot write");
  return f;
}

// VCD time unit: 1 ns; a tick (1/120 MHz) is 8.333 ns, so times are rounded to the nearest ns.
std::uint64_t vcd_ns(Cycles t) { return (t * 1000 + kTickHz / 2'000'000) / (kTickHz / 1'000'000); }

}  // namespace

std::string artefact_stem(const std::string& name) {
  std::string s;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') s.push_back(c);
    else if (c == '=') s.push_back('-');
    else s.push_back('_');
  }
  return s.empty() ? "scenario" : s;
}

void write_serial_log(const ScenarioResult& r, const std::string& path) {
  auto f = open_out(path);
  f << "# k7sim serial log: " << r.name << "\n# host side " << r.serial_format << ", module UART model " << r.serial_model
    << "; times are virtual microseconds since t=0 (start bit .. end of stop bit)\n"
    << "# host>dev lines end with what the module's UART received there (module: data and FE/PE/BE/OE);\n"
    << "# dev>host lines with what the host's UART saw wrong.\n";
  const UartRxCounts& c = r.module_rx;
  f << "# module UART received " << c.chars << " characters: " << c.framing << " framing, " << c.parity << " parity, "
    << c.brk << " break, " << c.overrun << " overrun; line noise flipped " << c.noise_bits << " bits\n";
  char buf[160];
  for (const SerialRecord& s : r.serial) {
    const bool in = s.dir == SerialRecord::Dir::HostToDevice;
    std::string text = s.is_break ? "BREAK" : s.is_glitch ? "GLITCH" : escape_bytes(&s.value, 1);
    if (s.module_only) {
      std::snprintf(buf, sizeof buf, "%14.3f %14s  %s  %-10s", ticks_to_us(s.start), "", "host>dev", "(nothing sent)");
    } else {
      std::snprintf(buf, sizeof buf, "%14.3f %14.3f  %s  %02X  %-6s", ticks_to_us(s.start), ticks_to_us(s.end),
                    in ? "host>dev" : "dev>host", s.value, ("'" + text + "'").c_str());
    }
    f << buf;
    if (s.framing_error) f << "  framing-error";
    if (s.parity_error) f << "  parity-error";
    if (s.flipped) {
      f << "  noise: bit";
      for (unsigned i = 0; i < 16; ++i)
        if ((s.flipped >> i) & 1u) f << " " << i;
      f << " flipped";
    }
    if (in && s.module) {
      const auto& m = *s.module;
      std::snprintf(buf, sizeof buf, "  module: %02X", m.data);
      f << buf;
      if (m.framing) f << " FE";
      if (m.parity) f << " PE";
      if (m.brk) f << " BE";
      if (m.overrun) f << " OE(lost)";
    } else if (in && !s.is_glitch) {
      f << "  module: -";
    }
    f << "\n";
  }
}

void write_console_log(const ScenarioResult& r, const std::string& path) {
  auto f = open_out(path);
  char buf[48];
  for (const ConsoleLine& l : r.console) {
    std::snprintf(buf, sizeof buf, "[%12.3f ms] ", ticks_to_us(l.at) / 1000.0);
    f << buf << l.text << "\n";
  }
}

void write_vcd(const ScenarioResult& r, const std::string& path) {
  struct Change {
    std::uint64_t ns;
    char id;
    bool level;
  };
  std::vector<Change> changes;
  const char* pins[] = {"rst", "reload", "cts", "rts", "power", "led_link", "led_activity"};
  const char ids[] = {'r', 'l', 'c', 's', 'p', 'k', 'a'};
  constexpr int kPins = 7;
  std::map<std::string, bool> initial;
  for (const PinRecord& p : r.pins) {
    for (int i = 0; i < kPins; ++i)
      if (p.pin == pins[i]) {
        if (p.at == 0 && !initial.count(p.pin)) initial[p.pin] = p.level;
        else changes.push_back({vcd_ns(p.at), ids[i], p.level});
      }
  }
  // TXD (module → host) and RXD (host → module) reconstructed bit by bit from the characters.
  for (const SerialRecord& s : r.serial) {
    const char id = s.dir == SerialRecord::Dir::HostToDevice ? 'x' : 't';
    if (s.module_only) continue;  // nothing on the wire of its own
    if (s.is_break || s.is_glitch) {
      changes.push_back({vcd_ns(s.start), id, false});
      changes.push_back({vcd_ns(s.end), id, true});
      continue;
    }
    std::vector<bool> bits{false};
    for (unsigned i = 0; i < s.data_bits; ++i) bits.push_back((s.wire >> i) & 1);
    if (s.parity != 'N') bits.push_back(s.parity_bit);
    while (bits.size() < s.bits) bits.push_back(true);  // stop bit(s)
    for (std::size_t i = 0; i < bits.size(); ++i)
      if ((s.flipped >> i) & 1u) bits[i] = !bits[i];  // as line noise put it on the wire
    bits.push_back(true);  // idle
    bool level = true;
    for (std::size_t i = 0; i < bits.size(); ++i) {
      if (bits[i] != level) {
        const Cycles t = s.start + static_cast<Cycles>(std::llround(double(i) * s.bit_ticks));
        changes.push_back({vcd_ns(t), id, bits[i]});
        level = bits[i];
      }
    }
  }
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.ns < b.ns; });
  auto f = open_out(path);
  f << "$date virtual time $end\n$version k7sim $end\n$comment " << r.name << " $end\n$timescale 1 ns $end\n";
  f << "$scope module k7 $end\n";
  f << "$var wire 1 t txd $end\n$var wire 1 x rxd $end\n";
  for (int i = 0; i < kPins; ++i) f << "$var wire 1 " << ids[i] << " " << pins[i] << " $end\n";
  f << "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n1t\n1x\n";
  for (int i = 0; i < kPins; ++i) f << (initial.count(pins[i]) ? (initial[pins[i]] ? '1' : '0') : '1') << ids[i] << "\n";
  f << "$end\n";
  std::uint64_t last = ~0ull;
  for (const Change& c : changes) {
    if (c.ns != last) {
      f << "#" << c.ns << "\n";
      last = c.ns;
    }
    f << (c.level ? '1' : '0') << c.id << "\n";
  }
  f << "#" << vcd_ns(r.virtual_time) << "\n";
}

void write_pcap(const ScenarioResult& r, const std::string& path) {
  // Classic pcap, link type Ethernet, virtual timestamps (harness/net/pcap.h).
  std::string error;
  if (!write_pcap(path, r.frames, &error)) throw std::runtime_error(path + ": " + error);
}

void write_artefacts(const ScenarioResult& r, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string base = dir + "/" + artefact_stem(r.name);
  write_serial_log(r, base + ".serial.log");
  write_console_log(r, base + ".console.log");
  write_vcd(r, base + ".vcd");
  write_pcap(r, base + ".pcap");
}

}  // namespace k7sim
