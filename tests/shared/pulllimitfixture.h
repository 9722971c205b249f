#pragma once

#include "testservices.h"

#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>

namespace BerthTest {

// The test services' pull-limit front: what it states and where it logs.
struct PullLimitFront
{
    QString host; // "127.0.0.1:PORT"
    QString logPath;
    int limit = -1;
    int window = -1;
    QString source;

    static PullLimitFront instance()
    {
        const QJsonObject o = TestServices::instance().raw().value(u"ratelimit").toObject();
        return {o.value(u"host").toString(),
                o.value(u"log").toString(),
                o.value(u"limit").toInt(-1),
                o.value(u"window").toInt(-1),
                o.value(u"source").toString()};
    }

    // The front counts per repository name: a fresh one starts at the full limit. Copies a
    // fixture of the OCI layout ("busybox", or "multiarch" with every platform) into the plain
    // registry (the front's storage) under a name no other run used, and returns
    // "FRONT/NAME:1.0"; empty (with skopeo's words in *why) on failure.
    QString seedRepository(const QString &prefix,
                           QString *why,
                           const QString &ociTag = QStringLiteral("busybox")) const
    {
        const auto &services = TestServices::instance();
        const QString plain = services.registry(QStringLiteral("plain")).host;
        const QString name
            = prefix + u'-' + QString::number(QRandomGenerator::global()->generate64(), 16);
        QStringList argv{QStringLiteral("--insecure-policy"),
                         QStringLiteral("copy"),
                         QStringLiteral("--quiet"),
                         QStringLiteral("--dest-tls-verify=false"),
                         QStringLiteral("--dest-no-creds")};
        if (ociTag != u"busybox")
            argv << QStringLiteral("--all");
        argv << QStringLiteral("oci:%1:%2").arg(services.ociLayout(), ociTag)
             << QStringLiteral("docker://%1/%2:1.0").arg(plain, name);
        QProcess skopeo;
        skopeo.start(QStringLiteral("skopeo"), argv);
        if (!skopeo.waitForFinished(120000) || skopeo.exitCode() != 0) {
            *why = QString::fromUtf8(skopeo.readAllStandardError());
            return {};
        }
        return QStringLiteral("%1/%2:1.0").arg(host, name);
    }

    // The front's log lines ("METHOD PATH STATUS") about one repository's manifests.
    QStringList manifestRequests(const QString &repository) const
    {
        QFile file(logPath);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QString marker = u"/v2/" + repository + u"/manifests/";
        QStringList out;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (line.contains(marker.toUtf8()))
                out << QString::fromUtf8(line);
        }
        return out;
    }
};

} // namespace BerthTest
