#include "curlpolicy.h"

namespace Berth {

// curl copies every string option, so the temporaries may go at once.
void applyCurlProxy(CURL *curl, const QUrl &url, const NetworkPolicy &policy)
{
    // Decided here, once for Qt and curl alike: curl must not read the environment again.
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "");
    const ProxyChoice choice = policy.proxy.choose(url);
    if (choice.isDirect()) {
        curl_easy_setopt(curl, CURLOPT_PROXY, "");
        return;
    }
    QUrl proxyUrl = choice.proxy;
    // Qt's SOCKS5 proxy resolves names on the proxy's side: so must curl's ("socks5h").
    if (proxyUrl.scheme() == u"socks5")
        proxyUrl.setScheme(QStringLiteral("socks5h"));
    const QByteArray proxy = proxyUrl.toEncoded();
    curl_easy_setopt(curl, CURLOPT_PROXY, proxy.constData());
    if (!choice.hasLogin())
        return;
    curl_easy_setopt(curl, CURLOPT_PROXYUSERNAME, choice.user.toUtf8().constData());
    curl_easy_setopt(curl, CURLOPT_PROXYPASSWORD, choice.password.toUtf8().constData());
    // Whatever the proxy asks for (Basic, Digest, NTLM, Negotiate), as Qt's stack answers it: a
    // proxy that Qt's manifests get through must let the blobs through too.
    curl_easy_setopt(curl, CURLOPT_PROXYAUTH, long(CURLAUTH_ANY));
}

} // namespace Berth
