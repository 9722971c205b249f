#include "sha256.h"

#include <openssl/evp.h>

#include <QString>

namespace Berth {

void Sha256::Free::operator()(evp_md_ctx_st *ctx) const
{
    EVP_MD_CTX_free(ctx);
}

Sha256::Sha256()
    : m_ctx(EVP_MD_CTX_new())
{
    reset();
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256 &&) noexcept = default;
Sha256 &Sha256::operator=(Sha256 &&) noexcept = default;

void Sha256::reset()
{
    EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr);
}

void Sha256::addData(QByteArrayView data)
{
    if (!data.isEmpty())
        EVP_DigestUpdate(m_ctx.get(), data.data(), size_t(data.size()));
}

QByteArray Sha256::result()
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len);
    return out;
}

QString Sha256::digest()
{
    return QStringLiteral("sha256:") + QString::fromLatin1(result().toHex());
}

QByteArray Sha256::hash(QByteArrayView data)
{
    Sha256 h;
    h.addData(data);
    return h.result();
}

QString Sha256::digestOf(QByteArrayView data)
{
    Sha256 h;
    h.addData(data);
    return h.digest();
}

} // namespace Berth
