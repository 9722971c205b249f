#include <QtGlobal>

// Qt 6.4's own French (qtbase_fr.qm) lacks these QCommandLineParser strings, which every
// `berthctl … --help` prints. Listed here, lupdate carries them in translations/berth_fr.ts under
// Qt's context, and the installed berth_<lang>.qm answers for them at run time.
[[maybe_unused]] static const char *const qtCommandLineParserStrings[] = {
    QT_TRANSLATE_NOOP("QCommandLineParser", "Displays help on commandline options."),
    QT_TRANSLATE_NOOP("QCommandLineParser", "Displays help including Qt specific options."),
};
