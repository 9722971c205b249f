#include "registriesconfview.h"

#include "network/networkpolicy.h"
#include "registriesconfmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace Berth {

RegistriesConfView::RegistriesConfView(QWidget *parent)
    : QWidget(parent)
    , m_model(new RegistriesConfModel(this))
    , m_view(new QTableView(this))
    , m_empty(new QLabel(this))
{
    setObjectName(QStringLiteral("registriesConf"));
    // The files are podman's and skopeo's too: they are edited there, never here.
    auto *title = new QLabel(tr("Read-only: edit the files to change it."), this);
    title->setForegroundRole(QPalette::PlaceholderText);
    m_view->setObjectName(QStringLiteral("registriesConfView"));
    m_view->setAccessibleName(tr("registries.conf in effect"));
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The details and the file's path share what is left, elided in their middle.
    m_view->horizontalHeader()->setSectionResizeMode(RegistriesConfModel::DetailColumn,
                                                     QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(RegistriesConfModel::FileColumn,
                                                     QHeaderView::Stretch);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_empty->setObjectName(QStringLiteral("registriesConfEmpty"));
    m_empty->setWordWrap(true);
    // An engine backend pulls by itself: what is listed here is the embedded store's and
    // berthctl's.
    auto *engines = new QLabel(tr("With a Docker or Podman backend, the engine pulls with its own "
                                  "mirror configuration."),
                               this);
    engines->setObjectName(QStringLiteral("registriesConfEngines"));
    engines->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title);
    layout->addWidget(m_view);
    layout->addWidget(m_empty);
    layout->addWidget(engines);
    reload();
}

void RegistriesConfView::reload()
{
    m_model->setConf(currentNetworkPolicy()->registries);
    const bool empty = m_model->rowCount() == 0;
    m_view->setVisible(!empty);
    m_empty->setVisible(empty);
    m_empty->setText(empty ? m_model->emptyText() : QString());
}

} // namespace Berth
