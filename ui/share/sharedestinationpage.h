#pragma once

#include "sharewizard.h"

#include "common/result.h"

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;

namespace Berth {

class InlineMessage;

// Where to push: registry, namespace, repository and tag, prefilled from the image's own name
// (destinationdefaults.h) and checked as they are typed; the final reference shows below them, or
// what is wrong with it. The registries offered: Docker Hub, those of the Registries page, and
// those Berth, docker or podman hold a login for.
class ShareDestinationPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareDestinationPage(ShareWizard *wizard);

    QString registry() const; // normalised host, empty when not valid
    QList<ShareWizard::PushTarget> targets() const { return m_targets; }
    // The reason the fields do not make a reference; empty when they do.
    QString errorText() const { return m_errorText; }

    QLineEdit *namespaceEdit() const { return m_namespace; }

    void initializePage() override;
    bool isComplete() const override;

private:
    void fillRegistries();
    void setRegistry(const QString &host);
    void prefill();
    void fillHubUser();
    void validate();
    Result<QList<ShareWizard::PushTarget>> computeTargets() const;

    ShareWizard *m_wizard;
    QStringList m_prefilledFor;
    bool m_namespaceEdited = false;
    QList<ShareWizard::PushTarget> m_targets;
    QString m_errorText;
    QComboBox *m_registry;
    QLineEdit *m_namespace;
    QLineEdit *m_repository;
    QLineEdit *m_tag;
    QLabel *m_reference;
    InlineMessage *m_error;
};

} // namespace Berth
