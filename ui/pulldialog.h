#pragma once

#include "transfermanager.h"

#include "registry/taginfo.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Berth {

class ImageBackend;
class RegistriesConf;
class RegistryTransport;

// Asks for an image to pull: a reference checked as it is typed (the full name it stands for is
// shown, or what is wrong with it), and optionally a platform or all of them.
//
// For a repository found on Docker Hub (setRepository), the name is fixed and the tag is asked
// for apart, from the repository's tags (setTags): nothing is ever pulled as an implied :latest.
class PullDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit PullDialog(QWidget *parent = nullptr);

    void setReference(const QString &text);
    // Pull a tag of `name` ("node", "bitnami/node"): the name is shown read-only, the tag is
    // chosen in tagBox() once the tags arrive (or typed).
    void setRepository(const QString &name);
    // The repository's tags, newest first: "latest" is chosen when there is one, else the
    // newest; a tag the user already typed stays.
    void setTags(const QList<TagInfo> &tags);
    // The tags could not be listed: the user types one.
    void setTagsFailed(const Error &error);
    // The first platform offered is the one `backend` pulls by default (a container engine's
    // own, the host's for the embedded store); an engine cannot keep every platform.
    void setBackend(const ImageBackend *backend);
    // The pull limits the registries stated (RegistryClient's transport): with every platform
    // chosen, the dialog says what the pull will cost against them.
    void setPullLimits(RegistryTransport *transport);

    // registries.conf's short-name rules (the network policy's unless set): a short name with
    // two or more search registries configured offers them in searchRegistryBox(), the alias
    // first when one matches, as podman's prompt does.
    void setRegistriesConf(std::shared_ptr<const RegistriesConf> conf);
    QComboBox *searchRegistryBox() const { return m_searchRegistry; }

    // Valid only while the dialog's input is.
    std::optional<ImageReference> reference() const;
    PullRequest request() const;
    bool isInputValid() const;

    // The platform `backend` pulls when none is named: an engine's own os/arch.
    static Platform defaultPlatform(const ImageBackend *backend);

private:
    void buildLayout();
    void validate();
    QString referenceText() const;
    bool validatePlatform(QString *feedback);
    void updateCost();
    // pulldialogshortnames.cpp: the name to pull for what was typed, offering the choice.
    void buildSearchRegistryRow();
    QString qualified(const QString &text);
    QString costText() const;

    QLineEdit *m_reference;
    QLabel *m_feedback;
    QLabel *m_tagLabel;
    QComboBox *m_tag;
    QComboBox *m_platform;
    QCheckBox *m_allPlatforms;
    QLabel *m_cost;
    QDialogButtonBox *m_buttons;
    QString m_repository; // set by setRepository(): the tag is asked for apart
    QString m_tagsProblem;
    bool m_tagsLoading = false;
    std::optional<ImageReference> m_parsed;
    std::optional<Platform> m_parsedPlatform;
    bool m_valid = false;
    QPointer<RegistryTransport> m_pullLimits;
    QHash<QString, int> m_tagPlatforms; // tag -> platforms behind it, from setTags()
    QLabel *m_searchLabel = nullptr;
    QComboBox *m_searchRegistry = nullptr;
    std::shared_ptr<const RegistriesConf> m_registriesConf;
};

} // namespace Berth
