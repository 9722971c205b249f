#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace Berth {

class RegistriesConfModel;

// Settings → Registries: what registries.conf puts in effect (mirrors, rewrites, insecure and
// blocked registries, search registries) and the problems found, each with its file; read-only.
// With nothing configured, which files were read. The network policy's snapshot, read once.
class RegistriesConfView final : public QWidget
{
    Q_OBJECT

public:
    explicit RegistriesConfView(QWidget *parent = nullptr);

    RegistriesConfModel *model() const { return m_model; }
    // Shows the configuration of the policy in force again.
    void reload();

private:
    RegistriesConfModel *m_model;
    QTableView *m_view;
    QLabel *m_empty;
};

} // namespace Berth
