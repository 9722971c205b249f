#pragma once

#include "common/result.h"
#include "oci/manifest.h"
#include "reference/imagereference.h"
#include "registry/imageinspector.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTimer;
class QTreeWidget;

namespace Berth {

class InlineMessage;
class RegistryClient;

// One tag's image for one platform: its layers (digest, size, the step that made each) and the
// build history as a reconstructed Dockerfile. Inspects through the registry (index → platform
// manifest → config) when the tag or the platform changes.
class ImageHistoryView final : public QWidget
{
    Q_OBJECT

public:
    explicit ImageHistoryView(RegistryClient *registry, QWidget *parent = nullptr);

    // platforms: what the tag offers (may be empty when unknown); the host's is chosen when there.
    void showImage(const ImageReference &reference, const QList<Platform> &platforms);
    void clear();

    ImageReference reference() const { return m_reference; }
    // The chosen platform; nullopt when the tag's platforms are unknown (the registry decides).
    std::optional<Platform> currentPlatform() const;
    void setCurrentPlatform(const Platform &platform);
    bool isLoading() const { return m_loading; }
    // The image shown, once inspected.
    std::optional<InspectedImage> image() const { return m_image; }

    // A new tag waits this long before it is read, so arrowing through tags costs no requests
    // (Docker Hub counts manifest GETs against the pull limit).
    static constexpr int SettleMs = 200;

signals:
    void loadingChanged(bool loading);
    void imageShown();
    void failed(const Berth::Error &error);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void setUpWidgets(); // names, roles and looks
    void buildLayout();
    void scheduleInspect();
    void inspect();
    void showResult(const InspectedImage &image);
    void setLoading(bool loading);

    QPointer<RegistryClient> m_registry;
    ImageReference m_reference;
    std::optional<InspectedImage> m_image;
    int m_generation = 0;
    bool m_loading = false;
    bool m_inspectWhenShown = false; // hidden (another tab): read the image once it is shown
    QTimer *m_settle;

    QLabel *m_title;
    QComboBox *m_platforms;
    InlineMessage *m_notice;
    QAction *m_retry;
    QLabel *m_summary;
    QTreeWidget *m_layers;
    QPlainTextEdit *m_dockerfile;
};

} // namespace Berth
