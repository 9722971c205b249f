#include "imagedetailsdialog.h"

#include "imagefilesview.h"
#include "inlinemessage.h"

#include "common/guarded.h"
#include "common/humanize.h"
#include "imagefiles/contentssource.h"
#include "store/imagehistory.h"
#include "transferjob.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Berth {

namespace {

QLabel *valueLabel(const QString &objectName, const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text.isEmpty() ? ImageDetailsDialog::tr("—") : text, parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setFocusPolicy(Qt::TabFocus); // reachable by keyboard for screen readers
    return label;
}

QString quotedList(const QStringList &list)
{
    // Exec form, as in a Dockerfile: ["npm", "start"].
    if (list.isEmpty())
        return {};
    QStringList quoted;
    for (const QString &item : list)
        quoted.append(u'"' + item + u'"');
    return u'[' + quoted.join(u", ") + u']';
}

QScrollArea *scrolled(QWidget *content)
{
    auto *area = new QScrollArea;
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

} // namespace

ImageDetailsDialog::ImageDetailsDialog(ImageBackend *backend,
                                       const QString &nameOrId,
                                       QWidget *parent)
    : QDialog(parent)
    , m_backend(backend)
    , m_name(nameOrId)
    , m_stack(new QStackedWidget(this))
    , m_loading(new QLabel(tr("Reading %1…").arg(nameOrId), this))
    , m_error(new InlineMessage(this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new QWidget)
    , m_config(new QWidget)
    , m_layers(new QTreeWidget)
    , m_history(new QTreeWidget)
    , m_dockerfile(new QPlainTextEdit)
{
    setWindowTitle(tr("Image %1").arg(nameOrId));
    setObjectName(QStringLiteral("ImageDetailsDialog"));
    m_loading->setAlignment(Qt::AlignCenter);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setCloseButtonVisible(false);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setAccessibleName(tr("Image details"));

    setUpLists();
    QWidget *historyPage = buildHistoryPage();

    m_tabs->addTab(scrolled(m_overview), tr("&Overview"));
    m_tabs->addTab(scrolled(m_config), tr("&Configuration"));
    m_tabs->addTab(m_layers, tr("&Layers"));
    m_tabs->addTab(historyPage, tr("&History"));

    m_stack->addWidget(m_loading);
    m_stack->addWidget(m_tabs);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_error);
    layout->addWidget(m_stack, 1);
    layout->addWidget(buttons);
    resize(760, 560);

    readDetails();
}

void ImageDetailsDialog::showFiles(TransferManager *transfers)
{
    if (m_files || !m_backend || !transfers)
        return;
    m_files = new ImageFilesView(transfers, this);
    m_files->setAutoLoad(true); // a local image: nothing is downloaded
    m_files->setSource(std::shared_ptr<ContentsSource>(backendContentsSource(*m_backend, m_name)),
                       m_name,
                       m_backend);
    m_tabs->insertTab(m_tabs->indexOf(m_history->parentWidget()) + 1,
                      m_files,
                      QIcon::fromTheme(QStringLiteral("folder-open")),
                      tr("&Files"));
}

void ImageDetailsDialog::setUpLists()
{
    m_layers->setObjectName(QStringLiteral("layers"));
    m_layers->setAccessibleName(tr("Layers"));
    m_layers->setRootIsDecorated(false);
    m_layers->setHeaderLabels({tr("#"), tr("Digest"), tr("Size"), tr("Media type")});
    m_layers->header()->setSectionResizeMode(1, QHeaderView::Stretch);

    m_history->setObjectName(QStringLiteral("history"));
    m_history->setAccessibleName(tr("Build history"));
    m_history->setRootIsDecorated(false);
    m_history->setWordWrap(true);
    m_history->setHeaderLabels({tr("Created"), tr("Instruction"), tr("Size"), tr("Comment")});
    m_history->header()->setSectionResizeMode(1, QHeaderView::Stretch);

    m_dockerfile->setObjectName(QStringLiteral("dockerfile"));
    m_dockerfile->setAccessibleName(tr("Reconstructed Dockerfile"));
    m_dockerfile->setReadOnly(true);
    m_dockerfile->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_dockerfile->setLineWrapMode(QPlainTextEdit::NoWrap);
}

QWidget *ImageDetailsDialog::buildHistoryPage()
{
    auto *historyPage = new QSplitter(Qt::Vertical);
    historyPage->addWidget(m_history);
    auto *dockerfileBox = new QWidget;
    auto *dockerfileLayout = new QVBoxLayout(dockerfileBox);
    dockerfileLayout->setContentsMargins(0, 0, 0, 0);
    auto *dockerfileLabel = new QLabel(tr("As a &Dockerfile:"));
    dockerfileLabel->setBuddy(m_dockerfile);
    dockerfileLayout->addWidget(dockerfileLabel);
    dockerfileLayout->addWidget(m_dockerfile);
    historyPage->addWidget(dockerfileBox);
    return historyPage;
}

void ImageDetailsDialog::readDetails()
{
    if (!m_backend) {
        m_loading->clear();
        m_error->showError(tr("The image store is closed."));
        return;
    }
    m_backend->inspectImage(m_name, guarded(this, [this](Result<LocalImageDetails> details) {
                                if (!details) {
                                    m_loading->clear();
                                    m_error->showError(details.error().message);
                                    emit failed(details.error().message);
                                    return;
                                }
                                display(*details);
                            }));
}

QString ImageDetailsDialog::fieldText(const QString &objectName) const
{
    const auto *label = findChild<QLabel *>(objectName);
    return label ? label->text() : QString();
}

void ImageDetailsDialog::display(const LocalImageDetails &details)
{
    const LocalImage &image = details.image;
    const ImageConfig &config = details.config;
    const QLocale locale;

    auto *overview = new QFormLayout(m_overview);
    overview->addRow(tr("Tags:"),
                     valueLabel(QStringLiteral("tags"),
                                image.repoTags.isEmpty() ? tr("none") : image.repoTags.join(u'\n'),
                                m_overview));
    overview->addRow(tr("Image ID:"),
                     valueLabel(QStringLiteral("imageId"), image.id.toString(), m_overview));
    if (!image.repoDigests.isEmpty())
        overview->addRow(
            tr("Digests:"),
            valueLabel(QStringLiteral("digests"), image.repoDigests.join(u'\n'), m_overview));
    if (details.manifestDigest.isValid())
        overview->addRow(
            tr("Manifest:"),
            valueLabel(QStringLiteral("manifest"),
                       details.manifestDigest.toString() + u'\n' + details.manifestMediaType,
                       m_overview));
    const QDateTime created = image.created.isValid() ? image.created : config.created;
    overview->addRow(tr("Created:"),
                     valueLabel(QStringLiteral("created"),
                                created.isValid() ? tr("%1 (%2)").arg(
                                    locale.toString(created.toLocalTime(), QLocale::LongFormat),
                                    formatAge(created))
                                                  : QString(),
                                m_overview));
    overview->addRow(tr("Size:"),
                     valueLabel(QStringLiteral("size"), formatSize(image.size), m_overview));
    const Platform platform = config.platform.os.isEmpty() ? image.platform : config.platform;
    overview->addRow(tr("Platform:"),
                     valueLabel(QStringLiteral("platform"), platform.toString(), m_overview));
    if (!config.author.isEmpty())
        overview->addRow(tr("Author:"),
                         valueLabel(QStringLiteral("author"), config.author, m_overview));

    auto *form = new QFormLayout(m_config);
    form->addRow(tr("Entrypoint:"),
                 valueLabel(QStringLiteral("entrypoint"), quotedList(config.entrypoint), m_config));
    form->addRow(tr("Command:"),
                 valueLabel(QStringLiteral("command"), quotedList(config.cmd), m_config));
    form->addRow(tr("Working directory:"),
                 valueLabel(QStringLiteral("workingDir"), config.workingDir, m_config));
    form->addRow(tr("User:"), valueLabel(QStringLiteral("user"), config.user, m_config));
    form->addRow(tr("Environment:"),
                 valueLabel(QStringLiteral("environment"), config.env.join(u'\n'), m_config));
    form->addRow(tr("Exposed ports:"),
                 valueLabel(QStringLiteral("ports"), config.exposedPorts.join(u", "), m_config));
    form->addRow(tr("Volumes:"),
                 valueLabel(QStringLiteral("volumes"), config.volumes.join(u'\n'), m_config));
    QStringList labels;
    for (auto it = config.labels.cbegin(); it != config.labels.cend(); ++it)
        labels.append(it.key() + u'=' + it.value());
    form->addRow(tr("Labels:"), valueLabel(QStringLiteral("labels"), labels.join(u'\n'), m_config));
    if (!config.stopSignal.isEmpty())
        form->addRow(tr("Stop signal:"),
                     valueLabel(QStringLiteral("stopSignal"), config.stopSignal, m_config));

    readHistory(details);
}

void ImageDetailsDialog::readHistory(const LocalImageDetails &details)
{
    if (!m_backend)
        return finishLoading();
    m_backend->history(
        m_name, guarded(this, [this, details](Result<QList<ImageHistoryRow>> rows) {
            if (!rows) {
                // The rest of the image is worth showing; the tab says what is missing.
                showLayers(details, {});
                m_error->showInformation(tr("The build history of %1 could not be read: %2")
                                             .arg(m_name, rows.error().message));
                m_dockerfile->setPlainText(details.config.reconstructedDockerfile().join(u'\n'));
                return finishLoading();
            }
            showHistory(*rows, details);
            finishLoading();
        }));
}

void ImageDetailsDialog::showHistory(const QList<ImageHistoryRow> &rows,
                                     const LocalImageDetails &details)
{
    const QLocale locale;
    // Oldest first, in the order of the Dockerfile below.
    for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
        QString instruction = it->createdBy.trimmed();
        instruction.replace(QStringLiteral("/bin/sh -c #(nop) "), QString());
        auto *item = new QTreeWidgetItem(m_history,
                                         {it->created.isValid() ? locale.toString(
                                              it->created.toLocalTime(), QLocale::ShortFormat)
                                                                : QString(),
                                          instruction.simplified(),
                                          it->emptyLayer ? QString() : formatSize(it->size),
                                          it->comment});
        item->setToolTip(1, it->createdBy);
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    }
    // Engines give sizes only through the history: matched to the layers they made.
    showLayers(details, layerSizesFromHistory(rows, details.config.diffIds.size()));
    ImageConfig config = details.config;
    if (config.history.isEmpty())
        config.history = historyEntries(rows);
    m_dockerfile->setPlainText(config.reconstructedDockerfile().join(u'\n'));
}

void ImageDetailsDialog::showLayers(const LocalImageDetails &details,
                                    const QList<qint64> &engineSizes)
{
    // The embedded store knows the compressed layers; an engine only their uncompressed IDs.
    int n = 0;
    if (!details.layers.isEmpty()) {
        for (const Descriptor &layer : details.layers) {
            auto *item = new QTreeWidgetItem(m_layers,
                                             {QString::number(++n),
                                              layer.digest.toString(),
                                              formatSize(layer.size),
                                              layer.mediaType});
            item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        }
        return;
    }
    for (const QString &diffId : details.config.diffIds) {
        const QString size = engineSizes.isEmpty() ? QString() : formatSize(engineSizes.at(n));
        auto *item
            = new QTreeWidgetItem(m_layers, {QString::number(n + 1), diffId, size, QString()});
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        ++n;
    }
    m_layers->headerItem()->setText(1, tr("Uncompressed digest (diff ID)"));
    m_layers->setColumnHidden(3, true); // an engine does not say how it stores them
}

void ImageDetailsDialog::finishLoading()
{
    m_stack->setCurrentWidget(m_tabs);
    m_loaded = true;
    emit loaded();
}

} // namespace Berth
