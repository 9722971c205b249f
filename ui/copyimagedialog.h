#pragma once

#include "jobdialog.h"

#include "oci/manifest.h"
#include "reference/imagereference.h"

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Berth {

class AccountsModel;
class RegistryClient;
struct CopyRequest;

// "Copy to…" on a tag of the tag browser: copies the image to another repository, on the same
// registry or another, blob by blob without the local store (copyImage). The destination is
// checked as it is typed (the full reference, or what is wrong with it, under the field); the
// platform is one of the image's, or all of them (the index is kept, and with it the digest). The
// logins come from the keychain: the dialog says which account each side uses. The copy is a
// TransferManager job, its blobs in the Transfers dock.
class CopyImageDialog final : public JobDialog
{
    Q_OBJECT

public:
    // `platforms`: the image's (a tag group's); several offer "all platforms".
    CopyImageDialog(TransferManager *transfers,
                    RegistryClient *registry,
                    AccountsModel *accounts,
                    const ImageReference &source,
                    const QList<Platform> &platforms,
                    QWidget *parent = nullptr);

    ImageReference source() const { return m_source; }
    void setDestination(const QString &text);
    std::optional<ImageReference> destination() const { return m_destination; }
    // "" for all platforms (or the image as it is), else "os/arch[/variant]".
    QString chosenPlatform() const;
    void setChosenPlatform(const QString &platform);
    CopyRequest request() const;

public slots:
    bool start();

signals:
    void jobStarted(Berth::TransferJob *job);

protected:
    void jobSucceeded(TransferJob *job) override;
    QString nothingDone() const override;
    QString cancelledText() const override;
    QString cancelButtonText() const override;
    void updateState() override;

private:
    void describeFields();
    void layOutFields();
    void fillPlatforms(const QList<Platform> &platforms);
    void validate();
    QString loginLine(const QString &registry, bool source) const;
    void describeLogins();

    QPointer<RegistryClient> m_registry;
    QPointer<AccountsModel> m_accounts;
    const ImageReference m_source;
    std::optional<ImageReference> m_destination;
    bool m_index = false; // the image has several platforms
    QLineEdit *m_edit;
    QLabel *m_feedback;
    QComboBox *m_platform;
    QLabel *m_logins;
    QPushButton *m_copy;
};

} // namespace Berth
