// k7sim command line: run scenarios against a firmware image on the emulated K7 board.
//   k7sim run FILE|DIR... [--firmware ELF] [--report-dir DIR] [--tag TAG]
// Exit codes: 0 all passed, 1 a scenario failed, 2 usage or file error (nothing run).
#include <cxxopts.hpp>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <iostream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "harness/recorders.h"
#include "harness/result_io.h"
#include "harness/runner.h"
#include "harness/scenario.h"
#include "reports/reports.h"

#ifndef K7SIM_VERSION
#define K7SIM_VERSION "0.0.0"
#endif
#ifndef K7SIM_DEFAULT_FIRMWARE
#define K7SIM_DEFAULT_FIRMWARE ""
#endif

namespace fs = std::filesystem;
using namespace k7sim;

namespace {

std::string default_firmware(const char* argv0) {
  // Next to the binary first (a relocated build tree), then where the build put it.
  std::error_code ec;
  const fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (!ec) {
    const fs::path p = exe.parent_path() / "firmware" / "k7-firmware.elf";
    if (fs::exists(p)) return p.string();
  }
  (void)argv0;
  return K7SIM_DEFAULT_FIRMWARE;
}

void print_usage(const cxxopts::Options& options) {
  std::cout << options.help() << "\nCommands:\n  run FILE|DIR...   run scenario files (directories are searched recursively)\n"
            << "\nExit codes: 0 all scenarios passed, 1 a scenario failed, 2 usage or file error.\n";
}

void print_failure(const ScenarioResult& r) {
  std::cout << "    " << r.failure_where << (r.failure_where.empty() ? "" : "\n");
  std::string text = r.failure;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::cout << "    " << text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos) << "\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  // The last events on each endpoint: serial both ways and the console.
  std::vector<const SerialRecord*> tx, rx;
  for (const auto& s : r.serial) (s.dir == SerialRecord::Dir::HostToDevice ? tx : rx).push_back(&s);
  auto tail = [](const std::vector<const SerialRecord*>& v, const char* name) {
    if (v.empty()) {
      std::cout << "    last " << name << ": none\n";
      return;
    }
    std::cout << "    last " << name << ":";
    const std::size_t from = v.size() > 12 ? v.size() - 12 : 0;
    for (std::size_t i = from; i < v.size(); ++i) {
      char b[48];
      std::snprintf(b, sizeof b, " %02X@%.3fms", v[i]->value, ticks_to_us(v[i]->end) / 1000);
      std::cout << b;
    }
    std::cout << "\n";
  };
  tail(tx, "host>dev");
  tail(rx, "dev>host");
  if (!r.console.empty()) {
    std::cout << "    console (last lines):\n";
    const std::size_t from = r.console.size() > 8 ? r.console.size() - 8 : 0;
    for (std::size_t i = from; i < r.console.size(); ++i) {
      char b[32];
      std::snprintf(b, sizeof b, "[%10.3f ms] ", ticks_to_us(r.console[i].at) / 1000);
      std::cout << "      " << b << r.console[i].text << "\n";
    }
  }
}

// One process per scenario (lwIP keeps global state per process), at most `jobs` at a time. A
// worker that dies becomes an ERROR result; the run goes on.
bool run_in_workers(const std::vector<Scenario>& scenarios, const RunOptions& opts, unsigned jobs,
                    const std::function<bool(std::size_t, ScenarioResult)>& complete) {
  struct Worker {
    pid_t pid;
    int fd;
    std::size_t index;
    std::string bytes;
  };
  std::vector<Worker> active;
  std::size_t next = 0;
  std::signal(SIGPIPE, SIG_IGN);
  while (next < scenarios.size() || !active.empty()) {
    while (next < scenarios.size() && active.size() < jobs) {
      int fds[2];
      if (pipe(fds) != 0) {
        std::perror("k7sim: pipe");
        return false;
      }
      std::cout.flush();
      const pid_t pid = fork();
      if (pid < 0) {
        std::perror("k7sim: fork");
        return false;
      }
      if (pid == 0) {
        close(fds[0]);
        const std::string out = serialize_result(run_scenario(scenarios[next], opts));
        std::size_t off = 0;
        while (off < out.size()) {
          const ssize_t n = write(fds[1], out.data() + off, out.size() - off);
          if (n <= 0) _exit(3);
          off += std::size_t(n);
        }
        close(fds[1]);
        _exit(0);
      }
      close(fds[1]);
      active.push_back({pid, fds[0], next, {}});
      ++next;
    }
    std::vector<pollfd> pfds;
    for (const Worker& w : active) pfds.push_back({w.fd, POLLIN, 0});
    if (poll(pfds.data(), pfds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      std::perror("k7sim: poll");
      return false;
    }
    for (std::size_t i = pfds.size(); i-- > 0;) {
      if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker& w = active[i];
      char buf[65536];
      const ssize_t n = read(w.fd, buf, sizeof buf);
      if (n > 0) {
        w.bytes.append(buf, std::size_t(n));
        continue;
      }
      close(w.fd);
      int status = 0;
      waitpid(w.pid, &status, 0);
      ScenarioResult r;
      try {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("");
        r = deserialize_result(w.bytes);
      } catch (const std::exception&) {
        const Scenario& sc = scenarios[w.index];
        r.name = sc.name;
        r.file = sc.file;
        r.title = sc.title;
        r.status = RunStatus::Error;
        r.failure = WIFSIGNALED(status) ? "the worker process running this scenario died (signal " +
                                              std::to_string(WTERMSIG(status)) + "): a bug in k7sim, please report it"
                                        : "the worker process running this scenario failed (exit status " +
                                              std::to_string(WEXITSTATUS(status)) + ")";
      }
      const std::size_t index = w.index;
      active.erase(active.begin() + long(i));
      if (!complete(index, std::move(r))) return false;
    }
  }
  return true;
}

int cmd_run(const std::vector<std::string>& inputs, const std::string& firmware, const std::string& report_dir,
            const std::vector<std::string>& tags, unsigned jobs, const std::string& shard, bool show_figures, bool trace_rtl,
            const char* argv0) {
  // Load and validate everything first: a bad file stops the run before anything executes.
  std::vector<Scenario> scenarios;
  try {
    for (const std::string& file : find_scenario_files(inputs)) {
      for (Scenario& s : load_scenario_file(file)) scenarios.push_back(std::move(s));
    }
  } catch (const ScenarioError& e) {
    std::cerr << e.all() << (e.all().empty() || e.all().back() == '\n' ? "" : "\n");
    return 2;
  }
  if (!tags.empty()) {
    std::vector<Scenario> kept;
    for (Scenario& s : scenarios) {
      bool hit = false;
      for (const auto& t : s.tags) hit = hit || std::find(tags.begin(), tags.end(), t) != tags.end();
      if (hit) kept.push_back(std::move(s));
    }
    scenarios = std::move(kept);
  }
  if (!shard.empty()) {
    // --shard i/N (i from 1 to N): every N-th scenario starting with the i-th, so that N CI jobs
    // split one suite without overlap.
    unsigned i = 0, n = 0;
    char slash = 0;
    std::istringstream in(shard);
    if (!(in >> i >> slash >> n) || slash != '/' || !in.eof() || n == 0 || i == 0 || i > n) {
      std::cerr << "k7sim: --shard takes i/N with 1 <= i <= N, e.g. --shard 2/4 (got '" << shard << "')\n";
      return 2;
    }
    std::vector<Scenario> kept;
    for (std::size_t k = 0; k < scenarios.size(); ++k)
      if (k % n == i - 1) kept.push_back(std::move(scenarios[k]));
    scenarios = std::move(kept);
  }
  if (scenarios.empty()) {
    std::cerr << "k7sim: no scenario to run\n";
    return 2;
  }
  RunOptions opts;
  opts.default_firmware = default_firmware(argv0);
  opts.firmware_override = firmware;
  if (trace_rtl) opts.trace_rtl_dir = report_dir;
  const std::string fw_shown = firmware.empty() ? opts.default_firmware : firmware;
  if (!fs::exists(fw_shown)) {
    std::cerr << "k7sim: firmware image not found: " << fw_shown << "\n";
    return 2;
  }

  RunSummary summary;
  summary.firmware = fw_shown;
  summary.version = K7SIM_VERSION;
  std::size_t printed = 0;
  std::map<std::size_t, ScenarioResult> done;
  // Results are printed and reported in scenario order, whatever order the workers finish in.
  auto complete = [&](std::size_t index, ScenarioResult r) -> bool {
    done.emplace(index, std::move(r));
    while (done.count(printed)) {
      ScenarioResult& res = done[printed];
      char line[256];
      std::snprintf(line, sizeof line, "[%zu/%zu] %-5s %-44s virtual %9.3f ms  wall %7.3f s", printed + 1,
                    scenarios.size(), to_string(res.status), res.name.c_str(), ticks_to_us(res.virtual_time) / 1000,
                    res.wall_seconds);
      std::cout << line << "\n";
      if (res.status != RunStatus::Passed) print_failure(res);
      std::cout.flush();
      if (!report_dir.empty()) {
        try {
          write_artefacts(res, report_dir);
        } catch (const std::exception& e) {
          std::cerr << "k7sim: " << e.what() << "\n";
          return false;
        }
      }
      summary.results.push_back(std::move(res));
      done.erase(printed);
      ++printed;
    }
    return true;
  };
  if (jobs <= 1) {
    for (std::size_t i = 0; i < scenarios.size(); ++i)
      if (!complete(i, run_scenario(scenarios[i], opts))) return 2;
  } else if (!run_in_workers(scenarios, opts, jobs, complete)) {
    return 2;
  }

  int failed = 0;
  double wall = 0, virt = 0;
  const ScenarioResult* slowest = nullptr;
  for (const auto& r : summary.results) {
    failed += r.status != RunStatus::Passed;
    wall += r.wall_seconds;
    virt += ticks_to_seconds(r.virtual_time);
    if (!slowest || r.wall_seconds > slowest->wall_seconds) slowest = &r;
  }
  print_families(summary, std::cout);
  if (show_figures) print_figures(summary, std::cout);
  char buf[256];
  std::snprintf(buf, sizeof buf, "%zu passed, %d failed", summary.results.size() - failed, failed);
  std::cout << "\n" << buf << "\n";
  std::snprintf(buf, sizeof buf, "virtual %.3f s in wall %.2f s; slowest: %s (%.2f s)", virt, wall, slowest->name.c_str(),
                slowest->wall_seconds);
  std::cout << buf << "\n";
  if (!report_dir.empty()) {
    try {
      fs::create_directories(report_dir);
      write_junit(summary, report_dir + "/junit.xml");
      write_json(summary, report_dir + "/report.json");
      write_html(summary, report_dir + "/report.html");
      std::ofstream figures(report_dir + "/figures.txt");
      print_figures(summary, figures);
      std::cout << "reports: " << report_dir << "/ (junit.xml, report.json, report.html, figures.txt, *.vcd, *.pcap, *.serial.log, *.console.log"
                << (trace_rtl ? ", *.rtl.vcd" : "") << ")\n";
    } catch (const std::exception& e) {
      std::cerr << "k7sim: " << e.what() << "\n";
      return 2;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("k7sim", "Hardware-in-the-loop simulator and conformance harness for USR-K7 serial-to-Ethernet firmware");
  options.custom_help("run FILE|DIR... [options]");
  options.positional_help("");
  options.add_options()
      ("h,help", "show this help")
      ("version", "print the version")
      ("firmware", "firmware ELF to run instead of each scenario's device.firmware", cxxopts::value<std::string>()->default_value(""))
      ("report-dir", "write junit.xml, report.json, report.html and per-scenario logs/vcd/pcap here", cxxopts::value<std::string>()->default_value(""))
      ("tag", "run only scenarios with this tag (repeatable)", cxxopts::value<std::vector<std::string>>())
      ("j,jobs", "run up to N scenarios at once, one process each", cxxopts::value<unsigned>()->default_value("1"))
      ("shard", "run only shard i of N (1 <= i <= N) of the selected scenarios", cxxopts::value<std::string>()->default_value(""))
      ("figures", "print every measured figure at the end (always in figures.txt with --report-dir)")
      ("trace-rtl", "with --report-dir: also write NAME.rtl.vcd, every internal signal of the UART RTL "
                    "(Verilator trace) for scenarios with serial: {model: rtl}; slower, large files. "
                    "NAME.vcd (pins and lines) is written either way")
      ("command", "command", cxxopts::value<std::string>())
      ("inputs", "scenario files or directories", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"command", "inputs"});
  cxxopts::ParseResult args;
  try {
    args = options.parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "k7sim: " << e.what() << "\n";
    return 2;
  }
  if (args.count("help")) {
    print_usage(options);
    return 0;
  }
  if (args.count("version")) {
    std::cout << "k7sim " << K7SIM_VERSION << "\n";
    return 0;
  }
  if (!args.count("command")) {
    print_usage(options);
    return 2;
  }
  const std::string command = args["command"].as<std::string>();
  if (command != "run") {
    std::cerr << "k7sim: unknown command '" << command << "' (try: k7sim run FILE|DIR...)\n";
    return 2;
  }
  if (!args.count("inputs")) {
    std::cerr << "k7sim: run needs at least one scenario file or directory\n";
    return 2;
  }
  std::vector<std::string> tags;
  if (args.count("tag")) tags = args["tag"].as<std::vector<std::string>>();
  const unsigned jobs = args["jobs"].as<unsigned>();
  if (jobs == 0) {
    std::cerr << "k7sim: --jobs must be at least 1\n";
    return 2;
  }
  const bool trace_rtl = args.count("trace-rtl") > 0;
  if (trace_rtl && args["report-dir"].as<std::string>().empty()) {
    std::cerr << "k7sim: --trace-rtl writes NAME.rtl.vcd into the report directory: give --report-dir DIR\n";
    return 2;
  }
  return cmd_run(args["inputs"].as<std::vector<std::string>>(), args["firmware"].as<std::string>(),
                 args["report-dir"].as<std::string>(), tags, jobs, args["shard"].as<std::string>(),
                 args.count("figures") > 0, trace_rtl, argv[0]);
}
