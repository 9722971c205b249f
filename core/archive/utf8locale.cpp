#include "archive/utf8locale.h"

#include <clocale>
#include <cstring>
#include <langinfo.h>
#include <mutex>

namespace Berth {

void ensureUtf8Locale()
{
    static std::once_flag once;
    std::call_once(once, [] {
        const char *codeset = nl_langinfo(CODESET);
        if (!codeset || std::strcmp(codeset, "UTF-8") != 0)
            std::setlocale(LC_CTYPE, "C.UTF-8");
    });
}

} // namespace Berth
