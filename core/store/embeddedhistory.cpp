// EmbeddedBackend: `docker history` from the stored configuration, and the watch on index.json
// that keeps the pages current when another process (berthctl, a second window) changes tags.

#include "embeddedbackend.h"
#include "imagehistory.h"
#include "oci/storedimage.h"

#include "common/logging.h"

#include <QDir>
#include <QFileInfo>

namespace Berth {

void EmbeddedBackend::history(const QString &nameOrId, Callback<QList<ImageHistoryRow>> done)
{
    const OciStore store = m_store;
    inBackground<QList<ImageHistoryRow>>(
        [store, nameOrId]() -> Result<QList<ImageHistoryRow>> {
            auto entries = store.readIndex();
            if (!entries)
                return fail(entries.error());
            const QList<StoredImage> images = loadStoredImages(store, *entries);
            auto found = resolveStoredImage(images, nameOrId);
            if (!found)
                return fail(found.error());
            const StoredImage &image = images.at(found->first());
            QStringList tags;
            for (const StoredImage &other : images) {
                if (other.imageId == image.imageId && other.isTagged())
                    tags << other.reference->familiarString();
            }
            return historyFromConfig(image.config, image.manifest.layers, image.imageId, tags);
        },
        std::move(done));
}

void EmbeddedBackend::startWatching()
{
    if (m_watcher)
        return;
    m_watcher = new QFileSystemWatcher(this);
    // index.json is replaced (a rename), not written: the watch on the old file ends with it, so
    // the folder is watched too and the file watched again after each change.
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString &path) {
        noteChange(true, false);
        m_watcher->removePath(path); // the inode it watched may be gone
        watchIndex();
    });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        if (!m_watcher->files().contains(
                QDir(m_store.path()).filePath(QStringLiteral("index.json")))) {
            noteChange(true, false);
            watchIndex();
        }
    });
    // A store that exists is watched at once, so that no change made after this call goes
    // unseen. One not made yet (nothing pulled) is made off this thread first; anything that
    // happened meanwhile is looked at once the watch is in place.
    if (QFileInfo::exists(m_store.path())) {
        m_watcher->addPath(m_store.path());
        watchIndex();
        return;
    }
    const OciStore store = m_store;
    inBackground<void>([store]() -> Status { return store.init(); },
                       [this](Status made) {
                           if (!made)
                               qCWarning(lcStore) << "store watch:" << made.error().message;
                           m_watcher->addPath(m_store.path());
                           watchIndex();
                           noteChange(true, false);
                       });
}

void EmbeddedBackend::watchIndex()
{
    const QString index = QDir(m_store.path()).filePath(QStringLiteral("index.json"));
    if (QFileInfo::exists(index) && !m_watcher->files().contains(index))
        m_watcher->addPath(index);
}

} // namespace Berth
