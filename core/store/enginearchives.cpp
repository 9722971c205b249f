#include "store/enginebackend.h"

namespace Berth {

void EngineBackend::save(const QStringList &, ArchiveTarget, SaveOptions, Callback<SaveResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("save: in progress")));
}
void EngineBackend::load(ArchiveSource, LoadOptions, Callback<LoadResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("load: in progress")));
}
void EngineBackend::exportFilesystem(const QString &, ArchiveTarget, ExportOptions,
                                       Callback<ExportResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("export: in progress")));
}
void EngineBackend::importFilesystem(ArchiveSource, ImportOptions, Callback<ImportResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("import: in progress")));
}

} // namespace Berth
namespace Berth {
void EngineBackend::removeContainer(const QString &, bool, Callback<void> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("rm: in progress")));
}
} // namespace Berth
