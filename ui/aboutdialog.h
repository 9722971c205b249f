#pragma once

#include <QDialog>

namespace Berth {

// Help → About Berth: the name, icon, version and purpose, Berth's licence, and each component
// Berth bundles (Breeze's icons) or links (Qt, libarchive, libcurl…) with what it does in Berth
// and its licence; About Qt for Qt's own box.
class AboutDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

private:
    QWidget *buildHeader();
    QWidget *buildComponents();
};

} // namespace Berth
