#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

struct evp_md_ctx_st;

namespace Berth {

// Incremental SHA-256 on OpenSSL EVP (SHA-NI where the CPU has it); Qt 6.4's own is far slower.
class Sha256 final
{
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256 &&) noexcept;
    Sha256 &operator=(Sha256 &&) noexcept;

    void addData(QByteArrayView data);
    void addData(const char *data, qsizetype size) { addData(QByteArrayView(data, size)); }
    // Finishes the hash; the object can be reused after reset().
    QByteArray result();
    // "sha256:<64 hex>"
    QString digest();
    void reset();

    static QByteArray hash(QByteArrayView data);
    static QString digestOf(QByteArrayView data);

private:
    struct Free
    {
        void operator()(evp_md_ctx_st *) const;
    };
    std::unique_ptr<evp_md_ctx_st, Free> m_ctx;
};

} // namespace Berth
