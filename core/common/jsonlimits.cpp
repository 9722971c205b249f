#include "jsonlimits.h"

namespace Berth {

bool nestsDeeperThan(const QByteArray &body, int limit)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : body) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
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
    }
    return false;
}

} // namespace Berth
