#include "jsonlimits.h"

#include <cstring>

namespace Berth {

bool nestsDeeperThan(const QByteArray &body, int limit)
{
    // Most of a registry or Hub answer is string bytes (digests, dates, names): those are skipped
    // with memchr from quote to quote rather than looked at one by one, as this scan runs on every
    // answer before the real parse.
    const char *p = body.constData();
    const char *const end = p + body.size();
    int depth = 0;
    while (p < end) {
        switch (*p) {
        case '"': {
            const char *const start = p + 1;
            const char *close = start;
            for (;;) {
                close = static_cast<const char *>(std::memchr(close, '"', size_t(end - close)));
                if (!close)
                    return false; // an unterminated string: nothing after it nests
                // Escaped when an odd run of backslashes precedes it ("\\" is one backslash).
                const char *run = close;
                while (run > start && run[-1] == '\\')
                    --run;
                if ((close - run) % 2 == 0)
                    break;
                ++close;
            }
            p = close + 1;
            continue;
        }
        case '{':
        case '[':
            if (++depth > limit)
                return true;
            break;
        case '}':
        case ']':
            // Stray closers must not bank credit against the openers that follow.
            if (depth > 0)
                --depth;
            break;
        default:
            break;
        }
        ++p;
    }
    return false;
}

} // namespace Berth
