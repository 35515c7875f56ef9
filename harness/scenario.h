// A scenario file (shared/spec/scenario-format.md, version 1) as the runner sees it: loaded,
// validated and matrix-expanded before anything runs. Every problem is reported as
// `file:line:column: message` through ScenarioError; a Scenario that comes out of the loader is
// complete and consistent (names resolve, marks exist, times fit in the timeout).
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "emulator/time.h"
#include "harness/values.h"
#include "peripherals/serial_frame.h"

namespace k7sim {

// ---- errors -------------------------------------------------------------------------------------

struct SourceLoc {
  std::string file;  // as given to the loader (path or display name)
  int line = 0;      // 1-based; 0 = the whole file
  int column = 0;    // 1-based, in characters
  std::string str() const;  // "file:line:column" ("file" when line == 0)
};

struct Diagnostic {
  SourceLoc loc;
  std::string message;
  std::string str() const;  // "file:line:column: message"
};

// Thrown by the loader. what() is the first diagnostic, exactly "file:line:column: message";
// diagnostics() holds every problem found (sorted by position, duplicates removed).
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  ScenarioError(SourceLoc loc, std::string message);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  const Diagnostic& first() const { return diagnostics_.front(); }
  std::string all() const;  // every diagnostic, one per line

 private:
  std::vector<Diagnostic> diagnostics_;
};

// ---- steps --------------------------------------------------------------------------------------

enum class StepKind {
  Wait,
  Power,
  PowerCut,
  PinSet,
  PinPulse,
  ExpectPin,
  SerialWrite,
  SerialBreak,
  SerialNoise,  // extension: bit errors on the host->device line
  SerialGlitch,  // extension: a short low pulse on the host->device line
  ExpectSerialErrors,  // extension: the module UART's receive status counts
  ExpectSerial,
  ExpectNone,
  TcpConnect,
  TcpListen,
  ExpectTcpAccept,
  ExpectTcpConnected,
  ExpectTcpClosed,
  ExpectTcpReset,
  TcpSend,
  ExpectTcp,
  TcpClose,
  TcpReset,
  TcpVanish,
  UdpBind,
  UdpSend,
  ExpectUdp,
  Link,
  NetFault,
  Measure,
  Mark,
  Parallel,
  Repeat,
  FlashSave,
};

const char* step_name(StepKind kind);  // "serial.write"
std::optional<StepKind> step_kind_from_name(std::string_view name);
const std::vector<StepKind>& all_step_kinds();
// Steps that wait for the device (they take within:/after: and record when they were met).
bool is_expectation(StepKind kind);

// Module pins as scenarios name them. Inputs: rst, reload, cts. Outputs: rts, txd. rxd is the
// host's own line (observable by expect.pin).
enum class Pin { Rst, Reload, Cts, Rts, Txd, Rxd };
const char* pin_name(Pin pin);
bool is_input_pin(Pin pin);

enum class Level { Low, High };
// What pin.set does to an input: drive it, or (extension) release it to the board's pull-up.
enum class PinDrive { Low, High, Release };

struct Step;
using StepList = std::vector<Step>;

struct WaitArgs {
  Cycles duration = 0;
};
enum class PowerAction { On, Off, Cycle };  // cycle = off 100ms, then on
inline constexpr Cycles kPowerCycleOffTime = kTickHz / 10;
struct PowerArgs {
  PowerAction action = PowerAction::On;
};
struct PowerCutArgs {
  std::uint64_t during_flash_op = 1;  // 1 = the next program/erase operation from now
};
struct PinSetArgs {
  std::vector<std::pair<Pin, PinDrive>> pins;  // in file order; inputs only
};
struct PinPulseArgs {
  Pin pin = Pin::Rst;  // input
  Level level = Level::Low;
  Cycles duration = 0;  // for:
};
struct ExpectPinArgs {
  Pin pin = Pin::Rts;
  Level level = Level::High;
};
struct SerialWriteArgs {
  DataSpec data;
  Cycles gap = 0;  // idle time between bytes; 0 = back to back
};
struct SerialBreakArgs {
  Cycles duration = 0;  // for:
};
struct SerialNoiseArgs {
  double ber = 0;                   // bit error rate on RXD, 0..1
  std::optional<Cycles> duration;   // for:; absent = until the next serial.noise
};
struct SerialGlitchArgs {
  Cycles width = 0;  // how long the line is low
};
// A count that must lie in [min, max] (an exact count N is N..N).
struct CountRange {
  std::uint64_t min = 0;
  std::uint64_t max = UINT64_MAX;
  bool contains(std::uint64_t n) const { return n >= min && n <= max; }
  std::string describe() const;  // "3", "2..5", ">= 1", "<= 4"
};
// expect.serial.errors: what the module UART's receiver reported since t=0, per kind.
struct ExpectSerialErrorsArgs {
  std::optional<CountRange> chars, framing, parity, brk, overrun;
};
struct ExpectSerialArgs {
  DataSpec data;      // bytes or a match
  bool skip = false;  // other bytes before the expected ones are allowed
};
// What expect.none watches: `serial`, `tcp:<conn>`, `udp:<socket>` or `udp:<peer>:<port>`.
struct ExpectNoneArgs {
  enum class Channel { Serial, Tcp, Udp };
  Channel channel = Channel::Serial;
  std::string conn;          // Tcp: connection name; Udp: socket name (empty with peer/port)
  std::string peer;          // Udp by peer and port
  std::uint16_t port = 0;
  Cycles during = 0;
};
struct TcpConnectArgs {
  std::string from;               // peer
  std::uint16_t to = 0;           // device port
  std::string as;                 // connection name
  std::uint16_t port = 0;         // peer's local port, 0 = ephemeral
  std::optional<Ipv4> dst_ip;     // extension; default: the device
};
struct TcpListenArgs {
  std::string peer;
  std::uint16_t port = 0;
  std::string as;  // listener name
};
struct ExpectTcpAcceptArgs {
  std::string listener;
  std::string as;  // connection name
};
// expect.tcp.connected / expect.tcp.closed / expect.tcp.reset / tcp.close / tcp.reset / tcp.vanish
struct ConnArgs {
  std::string conn;
};
struct TcpSendArgs {
  std::string conn;
  DataSpec data;
};
struct ExpectTcpArgs {
  std::string conn;
  std::optional<DataSpec> data;    // exactly one of data / segments
  std::vector<DataSpec> segments;  // each TCP segment's payload, in order
  bool skip = false;               // extension, as for expect.serial
};
struct UdpBindArgs {
  std::string peer;
  std::uint16_t port = 0;  // 0 = ephemeral
  std::string as;          // socket name
};
struct UdpSendArgs {
  std::string from;            // socket name
  std::uint16_t to = 0;        // destination port
  DataSpec data;
  std::optional<Ipv4> dst_ip;  // default: the device
};
struct ExpectUdpArgs {
  std::string on;                       // socket name
  DataSpec data;
  std::optional<std::uint16_t> from_port;
  std::optional<Ipv4> from_ip;          // extension
};
struct LinkArgs {
  bool up = true;
};
struct NetFaultArgs {
  double loss_percent = 0;       // 0..100
  Cycles delay = 0;
  double duplicate_percent = 0;  // 0..100
  std::optional<Cycles> duration;  // for:; absent = until the next net.fault
};
struct MeasureArgs {
  std::string name;  // defaults to "<from>..<to>"
  std::string from;  // mark
  std::string to;    // mark
  std::optional<Cycles> min;  // extension: a two-sided rule (e.g. a period with a tolerance)
  std::optional<Cycles> max;
};
struct MarkArgs {
  std::string name;
};
struct ParallelArgs {
  std::vector<StepList> branches;
};
struct RepeatArgs {
  std::uint64_t count = 1;
  StepList steps;
};
struct FlashSaveArgs {
  std::string path;           // as written
  std::string resolved_path;  // relative paths resolved against the scenario file's directory
};

using StepArgs =
    std::variant<WaitArgs, PowerArgs, PowerCutArgs, PinSetArgs, PinPulseArgs, ExpectPinArgs,
                 SerialWriteArgs, SerialBreakArgs, SerialNoiseArgs, SerialGlitchArgs, ExpectSerialErrorsArgs, ExpectSerialArgs,
                 ExpectNoneArgs, TcpConnectArgs, TcpListenArgs, ExpectTcpAcceptArgs, ConnArgs,
                 TcpSendArgs, ExpectTcpArgs, UdpBindArgs, UdpSendArgs, ExpectUdpArgs, LinkArgs,
                 NetFaultArgs, MeasureArgs, MarkArgs, ParallelArgs, RepeatArgs, FlashSaveArgs>;

struct Step {
  StepKind kind = StepKind::Wait;
  SourceLoc loc;               // of the step's key (`serial.write` in `- serial.write: ...`)
  std::string name;            // name:, shown in reports; "" when absent
  std::string mark;            // mark:, names the time the step completed; "" when absent
  std::optional<Cycles> at;    // at: absolute start time (virtual time since t=0)
  std::optional<Cycles> within;  // expectations: met no later than this after the step started
  std::optional<Cycles> after;   // expectations: and not earlier than this
  StepArgs args;

  template <class T> const T& get() const { return std::get<T>(args); }
  template <class T> T& get() { return std::get<T>(args); }
};

// ---- scenario -----------------------------------------------------------------------------------

enum class SerialModel { Fast, Rtl };

struct DeviceConfig {
  std::string profile = "k7";
  std::string firmware = "default";  // "default" or a path to an ELF, as written
  std::string firmware_path;         // resolved path; "" for the default firmware
  std::string flash = "factory";     // "factory" or a path to a flash image, as written
  std::string flash_path;            // resolved path; "" for factory
};

struct SetupConfig {
  bool present = false;                // a setup: section exists
  SerialFormat line;                   // baud + format used during setup (default 115200 8N1)
  std::vector<std::string> at;         // commands, without "+++"/"a"/AT+Z and without CR
  std::vector<SourceLoc> at_locs;      // where each command was written
};

struct SerialConfig {
  SerialFormat line;                // baud + format of the host side, from t=0
  double baud_error_percent = 0;    // host clock error, -50..50
  SerialModel model = SerialModel::Fast;
};

struct Peer {
  std::string name;
  Ipv4 ip;
  unsigned prefix = 24;
  MacAddress mac{};
  bool mac_given = false;  // false: derived from the name
  SourceLoc loc;
};

struct NetworkConfig {
  std::vector<Peer> peers;
  bool dhcp = false;
  // Extension: `dns: {name: ip, ...}` runs a DNS server peer at 192.168.0.1 (the factory DNS
  // address; shared with the DHCP server peer) answering these names (harness/net/dns_server.h).
  bool dns = false;
  std::vector<std::pair<std::string, Ipv4>> dns_records;
  const Peer* find_peer(const std::string& name) const;
};

inline constexpr Cycles kDefaultTimeout = 600 * kTickHz;

struct Scenario {
  std::string id;     // scenario: [a-z0-9-]+
  std::string name;   // id, plus "[var=value,...]" for a matrix instance
  std::vector<std::pair<std::string, std::string>> params;  // this instance's matrix values
  std::string title;
  std::vector<std::string> tags;
  Cycles timeout = kDefaultTimeout;
  std::uint64_t seed = 0;
  bool seed_given = false;
  DeviceConfig device;
  SetupConfig setup;
  SerialConfig serial;
  NetworkConfig network;
  StepList timeline;

  std::string file;      // the file (display name) it came from
  std::string base_dir;  // directory relative paths are resolved against
  SourceLoc loc;         // of the `scenario:` key
  // A lower bound of the virtual time the timeline needs (waits, at:, after:, during:, pulses).
  Cycles min_duration = 0;
};

// ---- loading ------------------------------------------------------------------------------------

// Loads one file; one Scenario, or one per matrix combination (in file order, last variable
// fastest). Throws ScenarioError (also for an unreadable file).
std::vector<Scenario> load_scenario_file(const std::string& path);
// The same from text; `display_name` is used in messages and as the base for relative paths.
std::vector<Scenario> load_scenario_text(const std::string& text, const std::string& display_name);
// Files named on the command line: directories are searched recursively for *.yaml / *.yml
// (hidden entries skipped, sorted by path); files are taken as given. Order: arguments in order,
// duplicates dropped. Throws ScenarioError for a path that does not exist.
std::vector<std::string> find_scenario_files(const std::vector<std::string>& files_or_dirs);

}  // namespace k7sim
