#include "archive/imagechanges.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <optional>

using namespace Qt::StringLiterals;

namespace Berth {

namespace {

// EXPOSE 1-65535 expands to one key per port: a bound keeps a typo from filling the config.
constexpr int MaxExposedRange = 65536;

const QString SupportedList = u"CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, "
                              u"STOPSIGNAL, ONBUILD, HEALTHCHECK"_s;

std::unexpected<Error> invalid(const QString &message)
{
    return fail(Error::Kind::InvalidArgument, message);
}

bool isSpace(QChar c)
{
    return c.isSpace();
}

// Splits the Dockerfile way (buildkit's parseWords): on unquoted white space, with quotes and
// escapes kept in the words for expandWord() to interpret.
QStringList splitWords(QStringView rest)
{
    QStringList words;
    QString word;
    bool inWord = false;
    bool blankOk = false; // "" is a word of its own
    QChar quote;
    const qsizetype n = rest.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = rest[i];
        if (quote.isNull()) {
            if (isSpace(c)) {
                if (inWord && (blankOk || !word.isEmpty()))
                    words << word;
                word.clear();
                inWord = false;
                blankOk = false;
                continue;
            }
            inWord = true;
            if (c == u'\\') {
                if (i + 1 == n)
                    continue; // a lone escape at the end is dropped
                word += c;
                word += rest[++i];
                continue;
            }
            if (c == u'\'' || c == u'"') {
                quote = c;
                blankOk = true;
            }
            word += c;
            continue;
        }
        if (c == quote) {
            quote = QChar();
        } else if (c == u'\\' && quote != u'\'') {
            if (i + 1 == n)
                continue;
            word += c;
            word += rest[++i];
            continue;
        }
        word += c;
    }
    if (inWord && (blankOk || !word.isEmpty()))
        words << word;
    return words;
}

QStringList splitOnSpaces(QStringView rest)
{
    QStringList out;
    for (QStringView part : rest.split(u' ', Qt::SkipEmptyParts)) {
        for (QStringView p : part.split(u'\t', Qt::SkipEmptyParts))
            out << p.toString();
    }
    return out;
}

// A JSON array of strings, or nothing when `rest` is not one (it is then the shell form, as in a
// Dockerfile: `CMD ["a", 1]` runs through the shell).
std::optional<QStringList> jsonStringArray(QStringView rest)
{
    if (!rest.startsWith(u'['))
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(rest.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return std::nullopt;
    QStringList out;
    for (const QJsonValue &v : doc.array()) {
        if (!v.isString())
            return std::nullopt;
        out << v.toString();
    }
    return out;
}

// The variables of the config's Env, as the builder sees them before an instruction runs.
class Expander
{
public:
    explicit Expander(const QJsonArray &env)
    {
        for (const QJsonValue &v : env) {
            const QString kv = v.toString();
            const qsizetype eq = kv.indexOf(u'=');
            if (eq > 0)
                m_env.insert(kv.left(eq), kv.mid(eq + 1));
        }
    }

    // Quote removal, escapes and $VAR / ${VAR} / ${VAR:-word} / ${VAR:+word} / ${VAR:?message}
    // substitution, as buildkit's shell lexer does for ENV, LABEL, EXPOSE, USER, VOLUME, WORKDIR
    // and STOPSIGNAL.
    Result<QString> expand(QStringView word) const
    {
        QString out;
        qsizetype i = 0;
        const qsizetype n = word.size();
        while (i < n) {
            const QChar c = word[i];
            if (c == u'\'') {
                const qsizetype end = word.indexOf(u'\'', i + 1);
                if (end < 0)
                    return invalid(Berth::tr("a single quote is not closed."));
                out += word.sliced(i + 1, end - i - 1);
                i = end + 1;
            } else if (c == u'"') {
                ++i;
                bool closed = false;
                while (i < n) {
                    const QChar d = word[i];
                    if (d == u'"') {
                        closed = true;
                        ++i;
                        break;
                    }
                    if (d == u'\\') {
                        if (i + 1 == n) {
                            ++i;
                            continue;
                        }
                        const QChar next = word[i + 1];
                        // Only these can be escaped inside double quotes; others keep the '\'.
                        if (next == u'"' || next == u'$' || next == u'\\') {
                            out += next;
                            i += 2;
                            continue;
                        }
                        out += d;
                        ++i;
                        continue;
                    }
                    if (d == u'$') {
                        if (Status s = dollar(word, i, out); !s)
                            return fail(s.error());
                        continue;
                    }
                    out += d;
                    ++i;
                }
                if (!closed)
                    return invalid(Berth::tr("a double quote is not closed."));
            } else if (c == u'\\') {
                if (i + 1 < n)
                    out += word[i + 1];
                i += 2;
            } else if (c == u'$') {
                if (Status s = dollar(word, i, out); !s)
                    return fail(s.error());
            } else {
                out += c;
                ++i;
            }
        }
        return out;
    }

private:
    static bool isNameChar(QChar c)
    {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
               || c == u'_';
    }

    // `i` is at a '$': appends the substitution and moves past it.
    Status dollar(QStringView word, qsizetype &i, QString &out) const
    {
        const qsizetype n = word.size();
        if (i + 1 >= n) {
            out += u'$';
            ++i;
            return {};
        }
        if (word[i + 1] != u'{') {
            qsizetype j = i + 1;
            while (j < n && isNameChar(word[j]))
                ++j;
            if (j == i + 1) {
                out += u'$'; // "$ " or "$/": a literal dollar
                ++i;
                return {};
            }
            out += m_env.value(word.sliced(i + 1, j - i - 1).toString());
            i = j;
            return {};
        }
        qsizetype j = i + 2;
        while (j < n && isNameChar(word[j]))
            ++j;
        const QString name = word.sliced(i + 2, j - i - 2).toString();
        if (name.isEmpty() || j >= n)
            return invalid(Berth::tr("the substitution '%1' is malformed.").arg(word.sliced(i)));
        if (word[j] == u'}') {
            out += m_env.value(name);
            i = j + 1;
            return {};
        }
        if (word[j] != u':' || j + 1 >= n)
            return invalid(Berth::tr("the substitution '%1' is malformed.").arg(word.sliced(i)));
        const QChar modifier = word[j + 1];
        // The operand runs to the matching brace.
        qsizetype k = j + 2;
        int depth = 1;
        for (; k < n; ++k) {
            if (word[k] == u'\\') {
                ++k;
                continue;
            }
            if (word[k] == u'{')
                ++depth;
            else if (word[k] == u'}' && --depth == 0)
                break;
        }
        if (k >= n)
            return invalid(Berth::tr("the substitution '%1' is not closed.").arg(word.sliced(i)));
        auto operand = expand(word.sliced(j + 2, k - j - 2));
        if (!operand)
            return fail(operand.error());
        const bool set = m_env.contains(name) && !m_env.value(name).isEmpty();
        switch (modifier.unicode()) {
        case u'-':
            out += set ? m_env.value(name) : *operand;
            break;
        case u'+':
            out += set ? *operand : QString();
            break;
        case u'?':
            if (!set)
                return invalid(operand->isEmpty()
                                   ? Berth::tr("%1 is not set.").arg(name)
                                   : Berth::tr("%1 is not set: %2.").arg(name, *operand));
            out += m_env.value(name);
            break;
        default:
            return invalid(Berth::tr("the substitution '%1' uses the unsupported modifier ':%2'.")
                               .arg(word.sliced(i, k - i + 1), modifier));
        }
        i = k + 1;
        return {};
    }

    QHash<QString, QString> m_env;
};

// `KEY=value …` pairs, or the legacy single `KEY value` (ENV and LABEL), before expansion.
Result<QList<std::pair<QString, QString>>> nameValuePairs(const QString &instruction,
                                                          const QString &rest)
{
    const QStringList words = splitWords(rest);
    if (words.isEmpty())
        return invalid(Berth::tr("%1 needs a name and a value.").arg(instruction));
    QList<std::pair<QString, QString>> pairs;
    if (!words.first().contains(u'=')) {
        qsizetype space = 0;
        while (space < rest.size() && !isSpace(rest[space]))
            ++space;
        qsizetype value = space;
        while (value < rest.size() && isSpace(rest[value]))
            ++value;
        if (value >= rest.size())
            return invalid(Berth::tr("%1 needs a name and a value.").arg(instruction));
        pairs.append({rest.left(space), rest.mid(value)});
        return pairs;
    }
    for (const QString &word : words) {
        const qsizetype eq = word.indexOf(u'=');
        if (eq < 0)
            return invalid(Berth::tr("'%1' is not of the form name=value.").arg(word));
        pairs.append({word.left(eq), word.mid(eq + 1)});
    }
    return pairs;
}

// Go's time.ParseDuration: "1h30m", "1.5s", "300ms", "0".
std::optional<qint64> parseGoDuration(QStringView text)
{
    if (text == u"0")
        return 0;
    if (text.isEmpty())
        return std::nullopt;
    bool negative = false;
    qsizetype i = 0;
    if (text[0] == u'-' || text[0] == u'+') {
        negative = text[0] == u'-';
        ++i;
    }
    if (i >= text.size())
        return std::nullopt;
    long double total = 0;
    while (i < text.size()) {
        const qsizetype start = i;
        while (i < text.size() && (text[i].isDigit() || text[i] == u'.'))
            ++i;
        if (i == start)
            return std::nullopt;
        bool ok = false;
        const long double number = text.sliced(start, i - start).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < text.size() && !text[i].isDigit() && text[i] != u'.')
            ++i;
        const QStringView unit = text.sliced(unitStart, i - unitStart);
        long double scale = 0;
        if (unit == u"ns")
            scale = 1;
        else if (unit == u"us" || unit == u"\u00b5s" || unit == u"\u03bcs")
            scale = 1e3;
        else if (unit == u"ms")
            scale = 1e6;
        else if (unit == u"s")
            scale = 1e9;
        else if (unit == u"m")
            scale = 60e9;
        else if (unit == u"h")
            scale = 3600e9;
        else
            return std::nullopt;
        total += number * scale;
        if (total > 9.2e18L)
            return std::nullopt;
    }
    const qint64 ns = static_cast<qint64>(total + 0.5L);
    return negative ? -ns : ns;
}

bool isValidSignal(const QString &text)
{
    bool numeric = false;
    const int number = text.toInt(&numeric);
    if (numeric)
        return number >= 1 && number <= 64;
    static const QSet<QString> names{
        u"ABRT"_s,   u"ALRM"_s,   u"BUS"_s,  u"CHLD"_s, u"CLD"_s,   u"CONT"_s,
        u"FPE"_s,    u"HUP"_s,    u"ILL"_s,  u"INT"_s,  u"IO"_s,    u"IOT"_s,
        u"KILL"_s,   u"PIPE"_s,   u"POLL"_s, u"PROF"_s, u"PWR"_s,   u"QUIT"_s,
        u"SEGV"_s,   u"STKFLT"_s, u"STOP"_s, u"SYS"_s,  u"TERM"_s,  u"TRAP"_s,
        u"TSTP"_s,   u"TTIN"_s,   u"TTOU"_s, u"URG"_s,  u"USR1"_s,  u"USR2"_s,
        u"VTALRM"_s, u"WINCH"_s,  u"XCPU"_s, u"XFSZ"_s, u"RTMIN"_s, u"RTMAX"_s};
    QString name = text.toUpper();
    if (name.startsWith(u"SIG"))
        name = name.mid(3);
    if (names.contains(name))
        return true;
    // RTMIN+1 … RTMIN+15, RTMAX-14 … RTMAX-1
    for (const auto &[base, sign] : {std::pair{u"RTMIN"_s, u'+'}, std::pair{u"RTMAX"_s, u'-'}}) {
        if (name.startsWith(base + sign)) {
            bool ok = false;
            const int offset = name.mid(base.size() + 1).toInt(&ok);
            return ok && offset >= 1 && offset <= (sign == u'+' ? 15 : 14);
        }
    }
    return false;
}

// "80", "80/udp", "8000-8002/tcp" → "80/tcp" …
Result<QStringList> exposedPorts(const QString &spec)
{
    QString ports = spec;
    QString protocol = u"tcp"_s;
    const qsizetype slash = spec.indexOf(u'/');
    if (slash >= 0) {
        ports = spec.left(slash);
        protocol = spec.mid(slash + 1).toLower();
    }
    if (protocol != u"tcp" && protocol != u"udp" && protocol != u"sctp")
        return invalid(Berth::tr("'%1' has the protocol '%2': use tcp, udp or sctp.")
                           .arg(spec, spec.mid(slash + 1)));
    const qsizetype dash = ports.indexOf(u'-');
    bool okFirst = false;
    bool okLast = true;
    const uint first = (dash < 0 ? ports : ports.left(dash)).toUInt(&okFirst);
    const uint last = dash < 0 ? first : ports.mid(dash + 1).toUInt(&okLast);
    if (!okFirst || !okLast || first > 65535 || last > 65535)
        return invalid(Berth::tr("'%1' is not a port or port range.").arg(spec));
    if (last < first)
        return invalid(Berth::tr("the port range '%1' ends before it starts.").arg(spec));
    QStringList out;
    for (uint p = first; p <= last; ++p)
        out << QString::number(p) + u'/' + protocol;
    return out;
}

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

class ChangeApplier
{
public:
    explicit ChangeApplier(QJsonObject config)
        : m_config(std::move(config))
    {}

    Status apply(const QString &change);
    QJsonObject config() const { return m_config; }

private:
    Status shellDependent(const QString &instruction, const QString &rest);
    Status env(const QString &rest, const Expander &expander);
    Status label(const QString &rest, const Expander &expander);
    Status expose(const QString &rest, const Expander &expander);
    Status volume(const QString &rest, const Expander &expander);
    Status single(const QString &instruction, const QString &rest, const Expander &expander);
    Status onBuild(const QString &rest);
    Status healthcheck(const QStringList &flags, const QString &rest);

    QJsonObject m_config;
    bool m_cmdSet = false;
};

Status ChangeApplier::apply(const QString &change)
{
    const QString line = change.trimmed();
    if (line.isEmpty() || line.startsWith(u'#'))
        return {};
    qsizetype end = 0;
    while (end < line.size() && !isSpace(line[end]))
        ++end;
    const QString instruction = line.left(end).toUpper();
    QString rest = line.mid(end).trimmed();

    static const QSet<QString> known{u"CMD"_s,
                                     u"ENTRYPOINT"_s,
                                     u"ENV"_s,
                                     u"EXPOSE"_s,
                                     u"LABEL"_s,
                                     u"USER"_s,
                                     u"VOLUME"_s,
                                     u"WORKDIR"_s,
                                     u"STOPSIGNAL"_s,
                                     u"ONBUILD"_s,
                                     u"HEALTHCHECK"_s};
    if (!known.contains(instruction))
        return invalid(Berth::tr("%1 is not supported by import: only %2 can be changed.")
                           .arg(line.left(end), SupportedList));

    // Leading --name=value words are the instruction's flags, in any instruction: only
    // HEALTHCHECK has some.
    QStringList flags;
    while (rest.startsWith(u"--")) {
        qsizetype wordEnd = 0;
        while (wordEnd < rest.size() && !isSpace(rest[wordEnd]))
            ++wordEnd;
        const QString word = rest.left(wordEnd);
        rest = rest.mid(wordEnd).trimmed();
        if (word == u"--")
            break;
        flags << word.mid(2);
    }
    if (!flags.isEmpty() && instruction != u"HEALTHCHECK")
        return invalid(Berth::tr("%1 has no option --%2.").arg(instruction, flags.first()));

    const Expander expander(m_config.value(u"Env").toArray());
    if (instruction == u"CMD" || instruction == u"ENTRYPOINT")
        return shellDependent(instruction, rest);
    if (instruction == u"ENV")
        return env(rest, expander);
    if (instruction == u"LABEL")
        return label(rest, expander);
    if (instruction == u"EXPOSE")
        return expose(rest, expander);
    if (instruction == u"VOLUME")
        return volume(rest, expander);
    if (instruction == u"ONBUILD")
        return onBuild(rest);
    if (instruction == u"HEALTHCHECK")
        return healthcheck(flags, rest);
    return single(instruction, rest, expander);
}

Status ChangeApplier::shellDependent(const QString &instruction, const QString &rest)
{
    QStringList command;
    if (auto json = jsonStringArray(rest)) {
        command = *json;
    } else {
        if (rest.isEmpty())
            return invalid(Berth::tr("%1 needs a command: %1 [\"executable\", \"argument\"] or "
                                     "%1 command argument.")
                               .arg(instruction));
        command = QStringList{u"/bin/sh"_s, u"-c"_s, rest};
    }
    if (instruction == u"CMD") {
        m_config.insert(u"Cmd"_s, toArray(command));
        m_cmdSet = true;
    } else {
        m_config.insert(u"Entrypoint"_s, toArray(command));
        // As in a Dockerfile: a new entrypoint drops the inherited command, unless this very
        // list of changes set one.
        if (!m_cmdSet)
            m_config.remove(u"Cmd"_s);
    }
    return {};
}

Status ChangeApplier::env(const QString &rest, const Expander &expander)
{
    auto pairs = nameValuePairs(u"ENV"_s, rest);
    if (!pairs)
        return fail(pairs.error());
    QJsonArray env = m_config.value(u"Env").toArray();
    for (const auto &[rawName, rawValue] : std::as_const(*pairs)) {
        auto name = expander.expand(rawName);
        if (!name)
            return fail(name.error());
        if (name->isEmpty())
            return invalid(Berth::tr("ENV names cannot be blank."));
        auto value = expander.expand(rawValue);
        if (!value)
            return fail(value.error());
        const QString entry = *name + u'=' + *value;
        bool replaced = false;
        for (qsizetype i = 0; i < env.size(); ++i) {
            if (env.at(i).toString().startsWith(*name + u'=')) {
                env.replace(i, entry);
                replaced = true;
                break;
            }
        }
        if (!replaced)
            env.append(entry);
    }
    m_config.insert(u"Env"_s, env);
    return {};
}

Status ChangeApplier::label(const QString &rest, const Expander &expander)
{
    auto pairs = nameValuePairs(u"LABEL"_s, rest);
    if (!pairs)
        return fail(pairs.error());
    QJsonObject labels = m_config.value(u"Labels").toObject();
    for (const auto &[rawName, rawValue] : std::as_const(*pairs)) {
        auto name = expander.expand(rawName);
        if (!name)
            return fail(name.error());
        if (name->isEmpty())
            return invalid(Berth::tr("LABEL names cannot be blank."));
        auto value = expander.expand(rawValue);
        if (!value)
            return fail(value.error());
        labels.insert(*name, *value);
    }
    m_config.insert(u"Labels"_s, labels);
    return {};
}

Status ChangeApplier::expose(const QString &rest, const Expander &expander)
{
    const QStringList specs = splitOnSpaces(rest);
    if (specs.isEmpty())
        return invalid(Berth::tr("EXPOSE needs at least one port."));
    QJsonObject exposed = m_config.value(u"ExposedPorts").toObject();
    for (const QString &raw : specs) {
        auto spec = expander.expand(raw);
        if (!spec)
            return fail(spec.error());
        auto ports = exposedPorts(*spec);
        if (!ports)
            return fail(ports.error());
        for (const QString &p : std::as_const(*ports)) {
            exposed.insert(p, QJsonObject());
            if (exposed.size() > MaxExposedRange)
                return invalid(Berth::tr("EXPOSE names too many ports."));
        }
    }
    m_config.insert(u"ExposedPorts"_s, exposed);
    return {};
}

Status ChangeApplier::volume(const QString &rest, const Expander &expander)
{
    const QStringList raw = jsonStringArray(rest).value_or(splitOnSpaces(rest));
    if (raw.isEmpty())
        return invalid(Berth::tr("VOLUME needs at least one path."));
    QJsonObject volumes = m_config.value(u"Volumes").toObject();
    for (const QString &r : raw) {
        auto path = expander.expand(r);
        if (!path)
            return fail(path.error());
        const QString trimmed = path->trimmed();
        if (trimmed.isEmpty())
            return invalid(Berth::tr("VOLUME paths cannot be empty."));
        volumes.insert(trimmed, QJsonObject());
    }
    m_config.insert(u"Volumes"_s, volumes);
    return {};
}

Status
ChangeApplier::single(const QString &instruction, const QString &rest, const Expander &expander)
{
    if (rest.isEmpty())
        return invalid(Berth::tr("%1 needs a value.").arg(instruction));
    auto value = expander.expand(rest);
    if (!value)
        return fail(value.error());
    if (value->isEmpty())
        return invalid(Berth::tr("%1 needs a value.").arg(instruction));
    if (instruction == u"USER") {
        m_config.insert(u"User"_s, *value);
    } else if (instruction == u"WORKDIR") {
        QString dir = *value;
        // A relative WORKDIR continues the current one, as in a Dockerfile.
        if (!dir.startsWith(u'/'))
            dir = QDir::cleanPath(u'/' + m_config.value(u"WorkingDir").toString() + u'/' + dir);
        m_config.insert(u"WorkingDir"_s, dir);
    } else {
        if (!isValidSignal(*value))
            return invalid(Berth::tr("'%1' is not a signal: use a name such as SIGTERM or a "
                                     "number.")
                               .arg(*value));
        m_config.insert(u"StopSignal"_s, *value);
    }
    return {};
}

Status ChangeApplier::onBuild(const QString &rest)
{
    if (rest.isEmpty())
        return invalid(Berth::tr("ONBUILD needs an instruction."));
    qsizetype end = 0;
    while (end < rest.size() && !isSpace(rest[end]))
        ++end;
    const QString trigger = rest.left(end).toUpper();
    static const QSet<QString> instructions{u"ADD"_s,
                                            u"ARG"_s,
                                            u"CMD"_s,
                                            u"COPY"_s,
                                            u"ENTRYPOINT"_s,
                                            u"ENV"_s,
                                            u"EXPOSE"_s,
                                            u"HEALTHCHECK"_s,
                                            u"LABEL"_s,
                                            u"RUN"_s,
                                            u"SHELL"_s,
                                            u"STOPSIGNAL"_s,
                                            u"USER"_s,
                                            u"VOLUME"_s,
                                            u"WORKDIR"_s};
    if (trigger == u"ONBUILD")
        return invalid(Berth::tr("ONBUILD cannot trigger ONBUILD."));
    if (!instructions.contains(trigger))
        return invalid(
            Berth::tr("ONBUILD cannot trigger '%1': it is not a Dockerfile build instruction.")
                .arg(rest.left(end)));
    QJsonArray triggers = m_config.value(u"OnBuild").toArray();
    triggers.append(rest);
    m_config.insert(u"OnBuild"_s, triggers);
    return {};
}

Status ChangeApplier::healthcheck(const QStringList &flags, const QString &rest)
{
    qsizetype end = 0;
    while (end < rest.size() && !isSpace(rest[end]))
        ++end;
    const QString type = rest.left(end).toUpper();
    const QString command = rest.mid(end).trimmed();
    if (type.isEmpty())
        return invalid(Berth::tr("HEALTHCHECK needs CMD followed by a command, or NONE."));
    QJsonObject health;
    if (type == u"NONE") {
        if (!command.isEmpty() || !flags.isEmpty())
            return invalid(Berth::tr("HEALTHCHECK NONE takes no arguments."));
        health.insert(u"Test"_s, QJsonArray{u"NONE"_s});
        m_config.insert(u"Healthcheck"_s, health);
        return {};
    }
    if (type != u"CMD")
        return invalid(
            Berth::tr("HEALTHCHECK has no type '%1': use CMD or NONE.").arg(rest.left(end)));
    QStringList test;
    if (auto json = jsonStringArray(command)) {
        test = QStringList{u"CMD"_s} + *json;
        if (json->isEmpty())
            return invalid(Berth::tr("HEALTHCHECK CMD needs a command."));
    } else {
        if (command.isEmpty())
            return invalid(Berth::tr("HEALTHCHECK CMD needs a command."));
        test = QStringList{u"CMD-SHELL"_s, command};
    }
    health.insert(u"Test"_s, toArray(test));

    static const QHash<QString, QString> durations{{u"interval"_s, u"Interval"_s},
                                                   {u"timeout"_s, u"Timeout"_s},
                                                   {u"start-period"_s, u"StartPeriod"_s},
                                                   {u"start-interval"_s, u"StartInterval"_s}};
    for (const QString &flag : flags) {
        const qsizetype eq = flag.indexOf(u'=');
        const QString name = eq < 0 ? flag : flag.left(eq);
        const QString value = eq < 0 ? QString() : flag.mid(eq + 1);
        if (durations.contains(name)) {
            const auto ns = parseGoDuration(value);
            if (!ns)
                return invalid(Berth::tr("HEALTHCHECK --%1=%2 is not a duration such as 30s, "
                                         "1m30s or 500ms.")
                                   .arg(name, value));
            if (*ns != 0 && *ns < 1000000)
                return invalid(Berth::tr("HEALTHCHECK --%1 cannot be less than 1ms.").arg(name));
            if (*ns != 0)
                health.insert(durations.value(name), *ns);
        } else if (name == u"retries") {
            bool ok = false;
            const int retries = value.toInt(&ok);
            if (!ok || retries < 0)
                return invalid(
                    Berth::tr("HEALTHCHECK --retries=%1 is not a number of retries.").arg(value));
            if (retries != 0)
                health.insert(u"Retries"_s, retries);
        } else {
            return invalid(Berth::tr("HEALTHCHECK has no option --%1.").arg(name));
        }
    }
    m_config.insert(u"Healthcheck"_s, health);
    return {};
}

} // namespace

Status applyImageChanges(QJsonObject &imageConfig, const QStringList &changes)
{
    ChangeApplier applier(imageConfig.value(u"config").toObject());
    for (const QString &change : changes) {
        if (Status s = applier.apply(change); !s) {
            Error e = s.error();
            e.message
                = Berth::tr("Cannot apply the change '%1': %2").arg(change.trimmed(), e.message);
            return fail(e);
        }
    }
    imageConfig.insert(u"config"_s, applier.config());
    return {};
}

} // namespace Berth
