#pragma once

namespace Berth::Cli {

// berthctl's entry point: parses the verb and its options, runs it, returns the exit code
// (0 success, 1 the operation failed, 2 usage error).
int run(int argc, char *argv[]);

} // namespace Berth::Cli
