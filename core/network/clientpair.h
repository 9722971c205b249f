#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace Berth {

// A certs.d client certificate (*.cert, PEM, possibly followed by its intermediates) with its
// private key (*.key, PEM, RSA or EC, not encrypted), checked to belong together.
struct ClientPair
{
    QList<QSslCertificate> chain; // the client certificate first
    QSslKey key;
    QByteArray chainPem;
    QByteArray keyPem; // PKCS#8, whatever form the file used
};

// certificateFile and keyFile name the files in messages; the data is their content.
Result<ClientPair> parseClientPair(const QString &certificateFile,
                                   const QByteArray &certificatePem,
                                   const QString &keyFile,
                                   const QByteArray &keyPem);

} // namespace Berth
