// The pull dialog and registries.conf's short names: with two or more search registries
// configured, a short name ("busybox", "team/app") is not silently docker.io's: the dialog lists
// the names it may stand for, the alias first when one matches, and pulls the one chosen.
#include "pulldialog.h"

#include "network/networkpolicy.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalBlocker>

namespace Berth {

namespace {

// The alias (when one matches) and each search registry's name, in order.
QStringList choicesFor(const RegistriesConf &conf, const QString &text)
{
    QStringList choices = conf.shortNameCandidates(text);
    if (choices.size() == 1 && conf.searchRegistries().size() >= 2) {
        // An alias matched: the search registries follow it.
        for (const QString &registry : conf.searchRegistries())
            choices.append(registry + u'/' + text);
    }
    return choices;
}

} // namespace

void PullDialog::buildSearchRegistryRow()
{
    m_searchLabel = new QLabel(tr("&Registry:"), this);
    m_searchRegistry = new QComboBox(this);
    m_searchRegistry->setObjectName(QStringLiteral("searchRegistry"));
    m_searchRegistry->setAccessibleName(tr("Registry of the short name"));
    m_searchRegistry->setToolTip(
        tr("The name has no registry: registries.conf lists several to search."));
    m_searchLabel->setBuddy(m_searchRegistry);
    m_searchLabel->hide();
    m_searchRegistry->hide();
}

void PullDialog::setRegistriesConf(std::shared_ptr<const RegistriesConf> conf)
{
    m_registriesConf = std::move(conf);
    validate();
}

QString PullDialog::qualified(const QString &text)
{
    const auto conf = m_registriesConf ? m_registriesConf : currentNetworkPolicy()->registries;
    const QStringList choices
        = conf && m_repository.isEmpty() && conf->searchRegistries().size() >= 2
              ? choicesFor(*conf, text)
              : QStringList();
    const bool offer = choices.size() >= 2;
    m_searchLabel->setVisible(offer);
    m_searchRegistry->setVisible(offer);
    if (!offer) {
        const QStringList single
            = conf && m_repository.isEmpty() ? conf->shortNameCandidates(text) : QStringList();
        return single.isEmpty() ? text : single.first();
    }
    QStringList current;
    for (int i = 0; i < m_searchRegistry->count(); ++i)
        current.append(m_searchRegistry->itemText(i));
    if (current != choices) {
        const QSignalBlocker blocker(m_searchRegistry);
        const int keep = m_searchRegistry->currentIndex();
        m_searchRegistry->clear();
        m_searchRegistry->addItems(choices);
        m_searchRegistry->setCurrentIndex(keep >= 0 && keep < choices.size() ? keep : 0);
    }
    return m_searchRegistry->currentText();
}

} // namespace Berth
