#pragma once

#include "sharewizard.h"

#include "common/result.h"

#include <QWizardPage>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;

namespace Berth {

class InlineMessage;
class JobProgress;
class LoginDialog;
class TransferJob;

// The pages of the share wizard (sharewizard.h), each reading what it needs from the wizard.

// Which images (a checkable list of the backend's tags and untagged images), and push or save.
class ShareImagesPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareImagesPage(ShareWizard *wizard);

    QStringList selectedImages() const;
    ShareWizard::Mode mode() const;
    void setMode(ShareWizard::Mode mode);
    bool isLoaded() const { return m_loaded; }
    // Checks or unchecks the row of a tag or image ID; false when it is not listed.
    bool setChecked(const QString &image, bool checked);

    QListWidget *imagesList() const { return m_list; }
    QRadioButton *pushButton() const { return m_push; }
    QRadioButton *saveButton() const { return m_save; }
    InlineMessage *message() const { return m_message; }

    bool isComplete() const override;

public slots:
    void reload();

private:
    ShareWizard *m_wizard;
    bool m_loaded = false;
    int m_generation = 0;
    QListWidget *m_list;
    QRadioButton *m_push;
    QRadioButton *m_save;
    InlineMessage *m_message;
};

// Where to push: registry, namespace, repository and tag, checked as they are typed; the final
// reference shows below them, or what is wrong with it.
class ShareDestinationPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareDestinationPage(ShareWizard *wizard);

    QString registry() const; // normalised host, empty when not valid
    QList<ShareWizard::PushTarget> targets() const { return m_targets; }
    // The reason the fields do not make a reference; empty when they do.
    QString errorText() const { return m_errorText; }

    QComboBox *registryBox() const { return m_registry; }
    QLineEdit *namespaceEdit() const { return m_namespace; }
    QLineEdit *repositoryEdit() const { return m_repository; }
    QLineEdit *tagEdit() const { return m_tag; }
    QLabel *referenceLabel() const { return m_reference; }
    InlineMessage *errorMessage() const { return m_error; }

    void initializePage() override;
    bool isComplete() const override;

private:
    void fillRegistries();
    void prefill();
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

// As whom: the login Berth has for the destination (its own, or docker's and podman's), logging
// in (LoginDialog) with the choice of keeping the login in the keychain or for this session only.
class ShareAccountPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareAccountPage(ShareWizard *wizard);

    QString registry() const { return m_registryName; }
    QString username() const { return m_username; } // empty: none
    bool isChecking() const { return m_checking > 0; }
    bool authRequired() const { return m_authRequired; }

    QLabel *statusLabel() const { return m_status; }
    QPushButton *loginButton() const { return m_login; }
    QPushButton *checkAgainButton() const { return m_checkAgain; }
    QRadioButton *keychainButton() const { return m_keychain; }
    QRadioButton *sessionButton() const { return m_session; }
    InlineMessage *message() const { return m_message; }

    void initializePage() override;
    bool isComplete() const override;

public slots:
    void refresh();
    // Opens the login dialog for the destination (not blocking); answers it.
    LoginDialog *logIn();

private:
    void finishCheck();

    ShareWizard *m_wizard;
    QString m_registryName;
    QString m_username;
    QString m_source;
    int m_checking = 0;
    int m_generation = 0;
    bool m_authRequired = false;
    bool m_pingFailed = false;
    QLabel *m_status;
    QPushButton *m_login;
    QPushButton *m_checkAgain;
    QRadioButton *m_keychain;
    QRadioButton *m_session;
    InlineMessage *m_message;
};

// What will be tagged and pushed, to where, as whom.
class ShareReviewPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareReviewPage(ShareWizard *wizard);

    QLabel *summaryLabel() const { return m_summary; }
    void initializePage() override;

private:
    ShareWizard *m_wizard;
    QLabel *m_summary;
};

// Where to save: the archive's path (typed or from the file picker) and its compression, kept in
// step with the file's suffix.
class ShareFilePage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareFilePage(ShareWizard *wizard);

    QString path() const;
    Compression compression() const;
    void setCompression(Compression compression);

    QLineEdit *pathEdit() const { return m_path; }
    QPushButton *browseButton() const { return m_browse; }
    QComboBox *compressionBox() const { return m_compression; }
    InlineMessage *message() const { return m_message; }

    void initializePage() override;
    bool isComplete() const override;

public slots:
    bool browse();

private:
    void pathChanged();
    void compressionChanged();
    Status validatePath() const;

    ShareWizard *m_wizard;
    QStringList m_suggestedFor;
    bool m_pathEdited = false;
    bool m_syncing = false;
    QLineEdit *m_path;
    QPushButton *m_browse;
    QComboBox *m_compression;
    InlineMessage *m_message;
};

// The push (tag, then one job per image) or the save, followed to the end: total progress, the
// running job's words, the result or the error with what to do next; Retry after a failure.
class ShareProgressPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareProgressPage(ShareWizard *wizard);

    bool isRunning() const;
    bool isDone() const;
    QList<TransferJob *> jobs() const;

    QLabel *headingLabel() const { return m_heading; }
    JobProgress *progress() const { return m_progress; }
    InlineMessage *message() const { return m_message; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *showInFolderButton() const { return m_showInFolder; }

    // How "Show in Folder" opens a directory: QDesktopServices::openUrl unless a test says
    // otherwise.
    void setUrlOpener(std::function<bool(const QUrl &)> opener);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

public slots:
    void cancel();
    void retry();

private:
    void start();
    void tagNext(QList<ShareWizard::PushTarget> targets, int index);
    void startPushes(const QList<ShareWizard::PushTarget> &targets);
    void jobsChanged();
    void showFinished();
    QString nextStep(const TransferJob *failed) const;

    ShareWizard *m_wizard;
    int m_generation = 0;
    bool m_tagging = false;
    bool m_cancelRequested = false;
    std::function<bool(const QUrl &)> m_openUrl;
    QLabel *m_heading;
    JobProgress *m_progress;
    InlineMessage *m_message;
    QPushButton *m_retry;
    QPushButton *m_showInFolder;
};

} // namespace Berth
