#include "clientpair.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace Berth {

namespace {

using PemBio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using OwnedKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using OwnedX509 = std::unique_ptr<X509, decltype(&X509_free)>;

PemBio pemBio(const QByteArray &data)
{
    return PemBio(BIO_new_mem_buf(data.constData(), int(data.size())), &BIO_free);
}

// OpenSSL would otherwise prompt on the terminal for an encrypted key's pass phrase.
int refusePassphrase(char *, int, int, void *)
{
    return -1;
}

bool isEncryptedPem(const QByteArray &pem)
{
    return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
           || pem.contains("Proc-Type: 4,ENCRYPTED");
}

Error clientPairError(const QString &message)
{
    return Error::make(Error::Kind::Tls, message);
}

Result<OwnedKey> readClientKey(const QString &keyFile, const QByteArray &keyPem)
{
    if (isEncryptedPem(keyPem))
        return std::unexpected(clientPairError(
            Berth::tr("The client key %1 is encrypted with a pass phrase; Berth can only "
                      "use a key without one (as docker and podman). Decrypt it, e.g. "
                      "with `openssl pkey -in %1 -out %1`.")
                .arg(keyFile)));
    const PemBio bio = pemBio(keyPem);
    OwnedKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &refusePassphrase, nullptr),
                 &EVP_PKEY_free);
    if (!key)
        return std::unexpected(clientPairError(
            Berth::tr("The client key %1 holds no private key in PEM form.").arg(keyFile)));
    const int type = EVP_PKEY_get_base_id(key.get());
    if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC)
        return std::unexpected(clientPairError(
            Berth::tr("The client key %1 is neither an RSA nor an EC key, the kinds Berth can use.")
                .arg(keyFile)));
    return key;
}

Result<OwnedX509> readClientCertificate(const QString &certificateFile, const QByteArray &pem)
{
    const PemBio bio = pemBio(pem);
    OwnedX509 certificate(PEM_read_bio_X509(bio.get(), nullptr, &refusePassphrase, nullptr),
                          &X509_free);
    if (!certificate)
        return std::unexpected(
            clientPairError(Berth::tr("The client certificate %1 holds no certificate in PEM form.")
                                .arg(certificateFile)));
    return certificate;
}

QByteArray pkcs8Pem(EVP_PKEY *key)
{
    const PemBio bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

} // namespace

Result<ClientPair> parseClientPair(const QString &certificateFile,
                                   const QByteArray &certificatePem,
                                   const QString &keyFile,
                                   const QByteArray &keyPem)
{
    auto key = readClientKey(keyFile, keyPem);
    if (!key)
        return std::unexpected(key.error());
    auto certificate = readClientCertificate(certificateFile, certificatePem);
    if (!certificate)
        return std::unexpected(certificate.error());
    if (EVP_PKEY_eq(X509_get0_pubkey(certificate->get()), key->get()) != 1)
        return std::unexpected(clientPairError(
            Berth::tr("The client key %1 does not belong to the client certificate %2: "
                      "their public keys differ.")
                .arg(keyFile, certificateFile)));
    ClientPair pair;
    pair.chain = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    pair.chainPem = certificatePem;
    pair.keyPem = pkcs8Pem(key->get());
    const auto algorithm = EVP_PKEY_get_base_id(key->get()) == EVP_PKEY_RSA ? QSsl::Rsa : QSsl::Ec;
    pair.key = QSslKey(pair.keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (pair.chain.isEmpty() || pair.key.isNull() || pair.keyPem.isEmpty())
        return std::unexpected(clientPairError(
            Berth::tr("Berth could not load the client certificate %1 with its key %2.")
                .arg(certificateFile, keyFile)));
    return pair;
}

} // namespace Berth
