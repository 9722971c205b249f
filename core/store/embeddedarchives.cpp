#include "store/embeddedbackend.h"

namespace Berth {

void EmbeddedBackend::save(const QStringList &, ArchiveTarget, SaveOptions, Callback<SaveResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("save: in progress")));
}
void EmbeddedBackend::load(ArchiveSource, LoadOptions, Callback<LoadResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("load: in progress")));
}
void EmbeddedBackend::exportFilesystem(const QString &, ArchiveTarget, ExportOptions,
                                       Callback<ExportResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("export: in progress")));
}
void EmbeddedBackend::importFilesystem(ArchiveSource, ImportOptions, Callback<ImportResult> done)
{
    done(fail(Error::Kind::Unsupported, QStringLiteral("import: in progress")));
}

} // namespace Berth
