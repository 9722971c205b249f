#include "authchallenge.h"

namespace Berth {

namespace {

constexpr qsizetype MaxHeaderSize = 64 * 1024;
constexpr qsizetype MaxChallenges = 32;
constexpr qsizetype MaxParams = 64;

// RFC 7230 tchar.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

// RFC 7235 token68, without its trailing '='s.
bool isToken68Char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
           || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

class ChallengeParser final
{
    Q_DECLARE_TR_FUNCTIONS(Berth) // lupdate and run time both use the context "Berth"
public:
    explicit ChallengeParser(QByteArrayView header)
        : m_text(header)
    {}

    Result<QList<AuthChallenge>> parse()
    {
        QList<AuthChallenge> challenges;
        skipListSeparators();
        while (!atEnd()) {
            if (challenges.size() == MaxChallenges) {
                return error(tr("more than %1 challenges").arg(MaxChallenges));
            }
            auto challenge = parseChallenge();
            if (!challenge)
                return fail(challenge.error());
            challenges.append(*challenge);
        }
        if (challenges.isEmpty())
            return error(tr("the header is empty"));
        return challenges;
    }

private:
    Result<AuthChallenge> parseChallenge()
    {
        AuthChallenge challenge;
        const QByteArrayView scheme = token();
        if (scheme.isEmpty())
            return unexpected(tr("an authentication scheme"));
        challenge.schemeName = QString::fromLatin1(scheme);
        if (scheme.compare("Basic", Qt::CaseInsensitive) == 0)
            challenge.scheme = AuthChallenge::Scheme::Basic;
        else if (scheme.compare("Bearer", Qt::CaseInsensitive) == 0)
            challenge.scheme = AuthChallenge::Scheme::Bearer;

        if (atEnd() || peek() == ',') {
            skipListSeparators();
            return challenge;
        }
        if (!isSpace(peek()))
            return unexpected(tr("a space after the scheme"));
        skipSpaces();

        // token68 (`Negotiate abc==`) is distinguished from an auth-param (`realm=x`) by what
        // follows it: the end of the challenge.
        if (const auto token68 = tryToken68()) {
            challenge.params.insert(QStringLiteral("token68"), QString::fromLatin1(*token68));
            skipListSeparators();
            return challenge;
        }

        while (true) {
            if (challenge.params.size() == MaxParams)
                return error(tr("more than %1 parameters in one challenge").arg(MaxParams));
            const QByteArrayView name = token();
            if (name.isEmpty())
                return unexpected(tr("a parameter name"));
            skipSpaces();
            if (atEnd() || peek() != '=')
                return unexpected(tr("'=' after %1").arg(QString::fromLatin1(name)));
            ++m_pos;
            skipSpaces();
            auto value = paramValue();
            if (!value)
                return fail(value.error());
            // RFC 7235 forbids repeating a parameter; the first one is the one a server meant.
            const QString key = QString::fromLatin1(name).toLower();
            if (!challenge.params.contains(key))
                challenge.params.insert(key, *value);

            skipSpaces();
            if (atEnd())
                return challenge;
            if (peek() != ',')
                return unexpected(tr("',' or the end of the header"));
            skipListSeparators();
            if (atEnd())
                return challenge;
            // After a comma comes another parameter of this challenge or the next challenge's
            // scheme: a parameter name is followed by '='.
            const qsizetype mark = m_pos;
            const QByteArrayView next = token();
            skipSpaces();
            const bool isParam = !next.isEmpty() && !atEnd() && peek() == '=';
            m_pos = mark;
            if (!isParam)
                return challenge;
        }
    }

    std::optional<QByteArrayView> tryToken68()
    {
        const qsizetype start = m_pos;
        qsizetype end = start;
        while (end < m_text.size() && isToken68Char(m_text[end]))
            ++end;
        if (end == start)
            return std::nullopt;
        while (end < m_text.size() && m_text[end] == '=')
            ++end;
        qsizetype after = end;
        while (after < m_text.size() && isSpace(m_text[after]))
            ++after;
        if (after < m_text.size() && m_text[after] != ',')
            return std::nullopt;
        // "Basic realm=" with nothing after is ambiguous; the grammar reads it as token68.
        m_pos = after;
        return m_text.sliced(start, end - start);
    }

    Result<QString> paramValue()
    {
        if (atEnd())
            return unexpected(tr("a parameter value"));
        if (peek() != '"') {
            // The grammar wants a token here, but registries have been seen sending an unquoted
            // realm URL: take everything up to the next separator, as docker's parser does.
            const qsizetype start = m_pos;
            while (!atEnd() && peek() != ',' && peek() != '"' && !isSpace(peek())
                   && isQuotable(peek())) {
                ++m_pos;
            }
            if (m_pos == start)
                return unexpected(tr("a parameter value"));
            return QString::fromUtf8(m_text.sliced(start, m_pos - start));
        }
        ++m_pos;
        QByteArray value;
        while (!atEnd()) {
            const char c = m_text[m_pos++];
            if (c == '"')
                return QString::fromUtf8(value);
            if (c == '\\') {
                if (atEnd())
                    break;
                const char escaped = m_text[m_pos++];
                if (!isQuotable(escaped))
                    return error(tr("invalid escaped character at offset %1").arg(m_pos - 1));
                value.append(escaped);
                continue;
            }
            if (!isQuotable(c))
                return error(
                    tr("control character in a quoted string at offset %1").arg(m_pos - 1));
            value.append(c);
        }
        return error(tr("unterminated quoted string"));
    }

    // qdtext and quoted-pair: HTAB, SP, VCHAR and obs-text; never other control characters.
    static bool isQuotable(char c)
    {
        const auto u = static_cast<unsigned char>(c);
        return c == '\t' || (u >= 0x20 && u != 0x7f);
    }

    QByteArrayView token()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && isTokenChar(peek()))
            ++m_pos;
        return m_text.sliced(start, m_pos - start);
    }

    void skipSpaces()
    {
        while (!atEnd() && isSpace(peek()))
            ++m_pos;
    }

    // RFC 7230 #rule: empty list elements and spaces around commas are allowed.
    void skipListSeparators()
    {
        while (!atEnd() && (isSpace(peek()) || peek() == ','))
            ++m_pos;
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }

    std::unexpected<Error> unexpected(const QString &expected) const
    {
        if (atEnd())
            return error(tr("expected %1 at the end").arg(expected));
        const auto c = static_cast<unsigned char>(peek());
        const QString shown = c >= 0x20 && c < 0x7f
                                  ? QString(QChar(char16_t(c)))
                                  : QStringLiteral("\\x%1").arg(uint(c), 2, 16, QChar(u'0'));
        return error(
            tr("expected %1 at offset %2, found '%3'").arg(expected).arg(m_pos).arg(shown));
    }

    static std::unexpected<Error> error(const QString &detail)
    {
        return fail(Error::Kind::Protocol,
                    tr("malformed WWW-Authenticate header from the registry: %1").arg(detail));
    }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

} // namespace

Result<QList<AuthChallenge>> parseAuthChallenges(QByteArrayView header)
{
    if (header.size() > MaxHeaderSize) {
        return fail(Error::Kind::Protocol,
                    tr("the registry's WWW-Authenticate header is %1 bytes long, more than the "
                       "64 KiB Berth accepts")
                        .arg(header.size()));
    }
    return ChallengeParser(header).parse();
}

std::optional<AuthChallenge> preferredChallenge(const QList<AuthChallenge> &challenges)
{
    // A Bearer challenge without a realm gives nowhere to fetch a token: Basic is better then.
    const AuthChallenge *bearer = nullptr;
    const AuthChallenge *basic = nullptr;
    for (const AuthChallenge &challenge : challenges) {
        if (challenge.scheme == AuthChallenge::Scheme::Bearer) {
            if (!challenge.realm().isEmpty())
                return challenge;
            if (!bearer)
                bearer = &challenge;
        } else if (challenge.scheme == AuthChallenge::Scheme::Basic && !basic) {
            basic = &challenge;
        }
    }
    if (basic)
        return *basic;
    if (bearer)
        return *bearer;
    return std::nullopt;
}

} // namespace Berth
