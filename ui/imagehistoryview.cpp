#include "imagehistoryview.h"

#include "common/guarded.h"
#include "common/humanize.h"
#include "erroradvice.h"
#include "inlinemessage.h"
#include "registry/registryclient.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Berth {

namespace {

enum LayerColumn { IndexColumn, DigestColumn, SizeColumn, CreatedByColumn };

// The history entries that made a layer, in layer order; empty when they do not line up.
QStringList layerSteps(const ImageConfig &config, qsizetype layerCount)
{
    QStringList steps;
    for (const HistoryEntry &entry : config.history) {
        if (!entry.emptyLayer)
            steps.append(entry.createdBy.simplified());
    }
    return steps.size() == layerCount ? steps : QStringList();
}

} // namespace

ImageHistoryView::ImageHistoryView(RegistryClient *registry, QWidget *parent)
    : QWidget(parent)
    , m_registry(registry)
    , m_settle(new QTimer(this))
    , m_title(new QLabel(this))
    , m_platforms(new QComboBox(this))
    , m_notice(new InlineMessage(this))
    , m_retry(tryAgainAction(this))
    , m_summary(new QLabel(this))
    , m_layers(new QTreeWidget(this))
    , m_dockerfile(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("imageHistoryView"));
    setAccessibleName(tr("Image layers and history"));
    setUpWidgets();
    buildLayout();

    m_settle->setSingleShot(true);
    m_settle->setInterval(SettleMs);
    connect(m_settle, &QTimer::timeout, this, &ImageHistoryView::inspect);
    connect(m_platforms, &QComboBox::activated, this, &ImageHistoryView::inspect);
    connect(m_retry, &QAction::triggered, this, &ImageHistoryView::inspect);
    clear();
}

void ImageHistoryView::setUpWidgets()
{
    m_title->setObjectName(QStringLiteral("imageTitle"));
    m_title->setAccessibleName(tr("Tag shown"));
    m_title->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_platforms->setObjectName(QStringLiteral("platformCombo"));
    m_platforms->setAccessibleName(tr("Platform"));
    m_platforms->setToolTip(tr("The platform whose image is shown"));
    m_platforms->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_notice->setAccessibleName(tr("Image error"));
    m_notice->setObjectName(QStringLiteral("noticeBar"));
    m_summary->setObjectName(QStringLiteral("imageSummary"));
    m_summary->setAccessibleName(tr("Image summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_layers->setObjectName(QStringLiteral("layersView"));
    m_layers->setAccessibleName(tr("Layers"));
    m_layers->setRootIsDecorated(false);
    m_layers->setUniformRowHeights(true);
    m_layers->setHeaderLabels({tr("#"), tr("Digest"), tr("Size"), tr("Created by")});
    m_layers->header()->setSectionResizeMode(IndexColumn, QHeaderView::ResizeToContents);
    m_layers->header()->setSectionResizeMode(DigestColumn, QHeaderView::ResizeToContents);
    m_layers->header()->setSectionResizeMode(SizeColumn, QHeaderView::ResizeToContents);
    m_layers->header()->setStretchLastSection(true);

    m_dockerfile->setObjectName(QStringLiteral("dockerfileView"));
    m_dockerfile->setAccessibleName(tr("Build history as a Dockerfile"));
    m_dockerfile->setReadOnly(true);
    m_dockerfile->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_dockerfile->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_dockerfile->setPlaceholderText(tr("Select a tag to see how its image was built."));
}

void ImageHistoryView::buildLayout()
{
    auto *platformLabel = new QLabel(tr("&Platform:"), this);
    platformLabel->setBuddy(m_platforms);
    // The reference can be long (host:port/path:tag): it gets a line of its own.
    m_title->setWordWrap(true);
    auto *header = new QHBoxLayout;
    header->addWidget(platformLabel);
    header->addWidget(m_platforms);
    header->addStretch(1);

    auto *layersLabel = new QLabel(tr("Layers"), this);
    auto *historyLabel = new QLabel(tr("Build history (reconstructed Dockerfile)"), this);
    auto *layersBox = new QWidget(this);
    auto *layersLayout = new QVBoxLayout(layersBox);
    layersLayout->setContentsMargins(0, 0, 0, 0);
    layersLayout->addWidget(layersLabel);
    layersLayout->addWidget(m_layers);
    auto *historyBox = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(historyLabel);
    historyLayout->addWidget(m_dockerfile);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(layersBox);
    splitter->addWidget(historyBox);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(header);
    layout->addWidget(m_notice);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);
}

void ImageHistoryView::clear()
{
    ++m_generation;
    m_settle->stop();
    m_inspectWhenShown = false;
    setLoading(false);
    m_reference = {};
    m_image.reset();
    m_title->setText(tr("No tag selected"));
    m_platforms->clear();
    m_platforms->setEnabled(false);
    m_notice->clear();
    m_summary->clear();
    m_layers->clear();
    m_dockerfile->clear();
}

void ImageHistoryView::showImage(const ImageReference &reference, const QList<Platform> &platforms)
{
    m_reference = reference;
    m_title->setText(reference.familiarString());

    // Keep the platform the user chose when the new tag offers it too.
    const std::optional<Platform> previous = currentPlatform();
    m_platforms->clear();
    int chosen = -1;
    const Platform host = Platform::host();
    for (const Platform &platform : platforms) {
        m_platforms->addItem(platform.toString(), platform.toString());
        const int at = m_platforms->count() - 1;
        if (previous && platform == *previous)
            chosen = at;
        else if (chosen < 0 && platform.satisfies(host))
            chosen = at;
    }
    if (platforms.isEmpty())
        m_platforms->addItem(tr("Default"), QString());
    m_platforms->setCurrentIndex(std::max(chosen, 0));
    m_platforms->setEnabled(m_platforms->count() > 1);
    scheduleInspect();
}

void ImageHistoryView::scheduleInspect()
{
    ++m_generation; // an answer for the previous tag is no longer wanted
    setLoading(false);
    m_image.reset();
    m_notice->clear();
    m_layers->clear();
    m_dockerfile->clear();
    m_summary->clear();
    if (isVisible()) {
        m_settle->start();
    } else {
        m_settle->stop();
        m_inspectWhenShown = true;
    }
}

void ImageHistoryView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_inspectWhenShown) {
        m_inspectWhenShown = false;
        m_settle->start();
    }
}

std::optional<Platform> ImageHistoryView::currentPlatform() const
{
    const QString text = m_platforms->currentData().toString();
    if (text.isEmpty())
        return std::nullopt;
    const auto platform = Platform::parse(text);
    return platform ? std::optional<Platform>(*platform) : std::nullopt;
}

void ImageHistoryView::setCurrentPlatform(const Platform &platform)
{
    const int at = m_platforms->findData(platform.toString());
    if (at < 0 || at == m_platforms->currentIndex())
        return;
    m_platforms->setCurrentIndex(at);
    inspect();
}

void ImageHistoryView::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void ImageHistoryView::inspect()
{
    m_settle->stop();
    m_inspectWhenShown = false;
    const int generation = ++m_generation;
    m_image.reset();
    m_notice->clear();
    m_layers->clear();
    m_dockerfile->clear();
    if (!m_reference.isValid() || !m_registry) {
        setLoading(false);
        return;
    }
    m_summary->setText(tr("Reading the image from %1…").arg(m_reference.domain()));
    setLoading(true);

    InspectOptions options;
    options.platform = currentPlatform();
    inspectImage(*m_registry,
                 m_reference,
                 options,
                 guarded(this, [this, generation](Result<InspectResult> result) {
                     if (m_generation != generation)
                         return;
                     setLoading(false);
                     if (!result || result->images.isEmpty()) {
                         const Error error
                             = result ? Error::make(
                                   Error::Kind::NotFound,
                                   tr("%1 holds no image.").arg(m_reference.familiarString()))
                                      : result.error();
                         m_summary->clear();
                         if (!error.isCancelled()) {
                             m_notice->showError(error.message,
                                                 registryAdvice(error, m_reference.domain()),
                                                 {m_retry});
                             emit failed(error);
                         }
                         return;
                     }
                     showResult(result->images.first());
                 }));
}

void ImageHistoryView::showResult(const InspectedImage &image)
{
    m_image = image;
    const ImageManifest &manifest = image.manifest;
    const QStringList steps = layerSteps(image.config, manifest.layers.size());

    QList<QTreeWidgetItem *> items;
    items.reserve(manifest.layers.size());
    for (qsizetype i = 0; i < manifest.layers.size(); ++i) {
        const Descriptor &layer = manifest.layers.at(i);
        auto *item = new QTreeWidgetItem;
        item->setText(IndexColumn, QString::number(i + 1));
        item->setText(DigestColumn, layer.digest.algorithm() + u':' + layer.digest.shortId());
        item->setToolTip(DigestColumn, layer.digest.toString());
        item->setData(DigestColumn, Qt::UserRole, layer.digest.toString());
        item->setText(SizeColumn, formatSize(layer.size));
        item->setData(SizeColumn, Qt::UserRole, layer.size);
        item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
        if (!steps.isEmpty()) {
            item->setText(CreatedByColumn, steps.at(i));
            item->setToolTip(CreatedByColumn, steps.at(i));
        }
        items.append(item);
    }
    m_layers->addTopLevelItems(items);

    QString summary = tr("%1, %n layer(s), %2 compressed", nullptr, int(manifest.layers.size()))
                          .arg(image.platform.toString(), formatSize(manifest.layersSize()));
    if (image.config.created.isValid())
        summary += u"; " + tr("built %1").arg(formatAge(image.config.created));
    summary += u'\n' + image.manifestDigest.toString();
    m_summary->setText(summary);
    m_dockerfile->setPlainText(image.config.reconstructedDockerfile().join(u'\n'));
    emit imageShown();
}

} // namespace Berth
