#pragma once

namespace Berth {

// libarchive converts names through the C library's locale, and 3.6.2 crashes writing a non-ASCII
// name under the "C" locale. The executables set LC_CTYPE to C.UTF-8 at start; this does it once
// for any other caller (tests, library users) before the first archive is opened.
void ensureUtf8Locale();

} // namespace Berth
