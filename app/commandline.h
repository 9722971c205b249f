#pragma once

namespace Berth {

// `berth --help` and `berth --version` answered before the window, and the display it needs,
// exist: when asked, prints and exits; otherwise returns and main() goes on. The options are
// those berth.1 documents (tests/auto/cli/tst_manpages.cpp checks it).
void answerHelpOrVersion(int argc, char *argv[]);

} // namespace Berth
