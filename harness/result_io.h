// ScenarioResult to bytes and back, so that a worker process (k7sim run --jobs N) can hand its
// result to the parent over a pipe. A private format: it only ever travels between two processes
// of the same k7sim binary.
#pragma once
#include <string>
#include <string_view>

#include "harness/result.h"

namespace k7sim {

std::string serialize_result(const ScenarioResult& r);
// Throws std::runtime_error on truncated or malformed input.
ScenarioResult deserialize_result(std::string_view bytes);

}  // namespace k7sim
