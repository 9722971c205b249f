#pragma once

// Looks for a registry secret in any text or file: the secret itself, user:secret in base64 (a
// Basic Authorization header, docker's config.json `auth`), any base64 or base64url run that
// decodes to something holding the secret (X-Registry-Auth, a JSON blob), and anything shaped like
// a bearer token (a JWT: base64url "{..." twice, dot-separated). Shared by the secrets tests.

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QStringList>

namespace BerthTest {

class SecretScan final
{
public:
    // `secret` is searched raw and as base64 of "username:secret".
    void addSecret(const QString &username, const QString &secret)
    {
        const QByteArray raw = secret.toUtf8();
        m_needles.append(raw);
        const QByteArray pair = username.toUtf8() + ':' + raw;
        m_needles.append(pair.toBase64());
        m_needles.append(pair.toBase64(QByteArray::Base64UrlEncoding));
        m_secrets.append(raw);
    }

    // Searches `text`, naming `where` in the findings.
    void scan(const QByteArray &text, const QString &where)
    {
        ++m_places;
        m_bytes += text.size();
        for (const QByteArray &needle : std::as_const(m_needles)) {
            if (text.contains(needle))
                m_findings.append(where + QStringLiteral(": holds a secret (")
                                  + excerpt(text, text.indexOf(needle)) + u')');
        }
        static const QRegularExpression jwt(
            QStringLiteral("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}"));
        const QString latin = QString::fromLatin1(text);
        if (const auto match = jwt.match(latin); match.hasMatch())
            m_findings.append(where + QStringLiteral(": holds a bearer token (")
                              + excerpt(text, int(match.capturedStart())) + u')');
        static const QRegularExpression base64(QStringLiteral("[A-Za-z0-9+/_-]{16,}={0,2}"));
        for (auto it = base64.globalMatch(latin); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            const QByteArray run = m.captured().toLatin1();
            for (auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
                const auto decoded = QByteArray::fromBase64Encoding(run, options);
                if (!decoded)
                    continue;
                for (const QByteArray &secret : std::as_const(m_secrets)) {
                    if (decoded.decoded.contains(secret))
                        m_findings.append(where + QStringLiteral(": holds a secret in base64 (")
                                          + excerpt(text, int(m.capturedStart())) + u')');
                }
            }
        }
    }

    void scanFile(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            m_findings.append(path + QStringLiteral(": could not be read"));
            return;
        }
        scan(file.readAll(), path);
        ++m_files;
    }

    // Every file under `dir`, hidden ones too.
    void scanTree(const QString &dir)
    {
        QDirIterator it(dir,
                        QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (it.fileInfo().isSymLink())
                continue;
            scanFile(path);
        }
    }

    QStringList findings() const { return m_findings; }
    int places() const { return m_places; }
    int files() const { return m_files; }
    qint64 bytes() const { return m_bytes; }

private:
    static QString excerpt(const QByteArray &text, int at)
    {
        // Shows where, never the secret itself: the test log must not leak it either.
        return QStringLiteral("at byte %1, after “%2”")
            .arg(at)
            .arg(QString::fromUtf8(text.mid(qMax(0, at - 60), qMin(at, 60)))
                     .simplified()
                     .replace(QRegularExpression(QStringLiteral("[^ -~]")), QStringLiteral("?")));
    }

    QList<QByteArray> m_needles;
    QList<QByteArray> m_secrets;
    QStringList m_findings;
    int m_places = 0;
    int m_files = 0;
    qint64 m_bytes = 0;
};

} // namespace BerthTest
