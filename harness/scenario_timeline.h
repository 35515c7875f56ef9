// Internal to the scenario loader: the timeline: section (steps, names, marks, time bounds).
#pragma once
#include "harness/scenario.h"
#include "harness/scenario_source.h"

namespace k7sim::detail {

// Parses `timeline` into sc.timeline and checks it against the rest of the scenario (peers,
// timeout): connection/listener/socket names are created before use, marks are unique and
// measure refers to marks that exist, times fit in the timeout. Reports through `reader`.
// sc.network, sc.timeout and sc.base_dir must already be set.
void parse_timeline(Reader& reader, const Field& timeline, Scenario& sc);

}  // namespace k7sim::detail
