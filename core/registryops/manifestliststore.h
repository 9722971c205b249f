#pragma once

#include "common/result.h"
#include "registryops/manifestlist.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Berth {

// The manifest lists being built, kept between commands as docker keeps ~/.docker/manifests:
// one JSON file per target under $XDG_DATA_HOME/Berth/manifests, each rewritten atomically, so
// that a broken file costs that list only.
class ManifestListStore final
{
    Q_DECLARE_TR_FUNCTIONS(Berth)
public:
    // An empty path means the default directory.
    explicit ManifestListStore(const QString &directory = {});

    static QString defaultDirectory();
    QString directory() const { return m_directory; }
    // The file that holds target's list (whether or not it exists).
    QString fileFor(const ImageReference &target) const;

    // nullopt when there is no list for target; an error naming the file when it cannot be read.
    Result<std::optional<ManifestList>> load(const ImageReference &target) const;
    Status save(const ManifestList &list) const;
    // True when there was a list to remove. Works on a broken file too.
    Result<bool> remove(const ImageReference &target) const;

private:
    QString m_directory;
};

// The local file's JSON, and back; the parser names what is wrong.
QByteArray manifestListToJson(const ManifestList &list);
Result<ManifestList> parseManifestList(const QByteArray &json);

} // namespace Berth
