// Replays files through a fuzz target outside any fuzzer: the regression test of the committed
// corpus and every crasher (tests/auto/fuzz/fuzz.cmake), and a way to debug one input under gdb.
// Usage: replay FILE|DIR… — each file is one input; a target that breaks an invariant aborts.
// Without arguments it replays the directories it was built with (BERTH_FUZZ_INPUTS,
// ';'-separated).

#include "fuzzsupport.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
#ifdef BERTH_FUZZ_CORPUS
    if (arguments.isEmpty())
        arguments << QStringLiteral(BERTH_FUZZ_CORPUS) << QStringLiteral(BERTH_FUZZ_REGRESSIONS);
#endif
    int inputs = 0;
    for (const QString &argument : std::as_const(arguments)) {
        QStringList files;
        if (!QFileInfo::exists(argument)) {
            // A target without crashers has no regressions/ directory.
            std::fprintf(stderr, "replay: %s does not exist, skipped\n", qPrintable(argument));
            continue;
        }
        if (QFileInfo(argument).isDir()) {
            QDirIterator it(argument, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext())
                files << it.next();
            files.sort();
        } else {
            files << argument;
        }
        for (const QString &path : std::as_const(files)) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "replay: cannot read %s\n", qPrintable(path));
                return 2;
            }
            const QByteArray data = file.readAll();
            std::fprintf(
                stderr, "replay: %s (%lld bytes)\n", qPrintable(path), qlonglong(data.size()));
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(data.constData()),
                                   size_t(data.size()));
            ++inputs;
        }
    }
    if (inputs == 0) {
        std::fprintf(stderr, "replay: no input given or found\n");
        return 2;
    }
    std::printf("replay: %d inputs, no failure\n", inputs);
    return 0;
}
