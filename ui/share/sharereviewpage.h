#pragma once

#include "sharewizard.h"

#include <QWizardPage>

class QLabel;

namespace Berth {

// What will be tagged and pushed, to where, as whom.
class ShareReviewPage final : public QWizardPage
{
    Q_OBJECT

public:
    explicit ShareReviewPage(ShareWizard *wizard);

    void initializePage() override;

private:
    ShareWizard *m_wizard;
    QLabel *m_summary;
};

} // namespace Berth
