// docker's `--change` instructions applied to an image config (core/archive/imagechanges): every
// instruction import accepts, in its JSON and shell forms, quoting and $VAR expansion, and the
// malformed or unsupported ones, each with the message naming it. Pure: no files, no services.

#include "archive/imagechanges.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Berth;
using namespace Qt::StringLiterals;

namespace {

QJsonObject object(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &error);
    if (!doc.isObject())
        qFatal("bad JSON in a test row: %s (%s)", json, qPrintable(error.errorString()));
    return doc.object();
}

} // namespace

class tst_ImageChanges : public QObject
{
    Q_OBJECT

private slots:
    void apply_data();
    void apply();
    void refuse_data();
    void refuse();
    void keepsTheRestOfTheConfig();
    void failureLeavesConfigUnchanged();
};

void tst_ImageChanges::apply_data()
{
    QTest::addColumn<QStringList>("changes");
    QTest::addColumn<QByteArray>("expected"); // the "config" object afterwards

    QTest::newRow("none") << QStringList() << QByteArray("{}");
    QTest::newRow("empty and comment lines")
        << QStringList{u""_s, u"   "_s, u"# CMD x"_s} << QByteArray("{}");
    // CMD / ENTRYPOINT
    QTest::newRow("cmd json") << QStringList{u"CMD [\"sh\",\"-c\",\"x\"]"_s}
                              << QByteArray(R"({"Cmd":["sh","-c","x"]})");
    QTest::newRow("cmd json spaced")
        << QStringList{u"CMD [ \"nginx\" , \"-g\" ]"_s} << QByteArray(R"({"Cmd":["nginx","-g"]})");
    QTest::newRow("cmd shell") << QStringList{u"CMD echo hi"_s}
                               << QByteArray(R"({"Cmd":["/bin/sh","-c","echo hi"]})");
    QTest::newRow("cmd lower-case keyword")
        << QStringList{u"cmd echo hi"_s} << QByteArray(R"({"Cmd":["/bin/sh","-c","echo hi"]})");
    QTest::newRow("cmd shell keeps quotes and $")
        << QStringList{u"CMD echo \"$HOME\" 'a b'"_s}
        << QByteArray(R"({"Cmd":["/bin/sh","-c","echo \"$HOME\" 'a b'"]})");
    QTest::newRow("cmd not-quite-json is shell form")
        << QStringList{u"CMD [\"a\", 1]"_s}
        << QByteArray(R"({"Cmd":["/bin/sh","-c","[\"a\", 1]"]})");
    QTest::newRow("cmd empty json") << QStringList{u"CMD []"_s} << QByteArray(R"({"Cmd":[]})");
    QTest::newRow("cmd unicode") << QStringList{u"CMD [\"écho\",\"\\u00e9t\u00e9\"]"_s}
                                 << QByteArray(R"({"Cmd":["écho","été"]})");
    QTest::newRow("cmd last wins")
        << QStringList{u"CMD a"_s, u"CMD [\"b\"]"_s} << QByteArray(R"({"Cmd":["b"]})");
    QTest::newRow("entrypoint json") << QStringList{u"ENTRYPOINT [\"/entry.sh\"]"_s}
                                     << QByteArray(R"({"Entrypoint":["/entry.sh"]})");
    QTest::newRow("entrypoint shell")
        << QStringList{u"ENTRYPOINT exec nginx"_s}
        << QByteArray(R"({"Entrypoint":["/bin/sh","-c","exec nginx"]})");
    QTest::newRow("cmd then entrypoint keeps cmd")
        << QStringList{u"CMD [\"-v\"]"_s, u"ENTRYPOINT [\"app\"]"_s}
        << QByteArray(R"({"Cmd":["-v"],"Entrypoint":["app"]})");
    QTest::newRow("entrypoint then cmd")
        << QStringList{u"ENTRYPOINT [\"app\"]"_s, u"CMD [\"-v\"]"_s}
        << QByteArray(R"({"Cmd":["-v"],"Entrypoint":["app"]})");
    // ENV
    QTest::newRow("env pairs") << QStringList{u"ENV A=b C=\"d e\""_s}
                               << QByteArray(R"({"Env":["A=b","C=d e"]})");
    QTest::newRow("env legacy") << QStringList{u"ENV A b"_s} << QByteArray(R"({"Env":["A=b"]})");
    QTest::newRow("env legacy rest of line") << QStringList{u"ENV GREETING hello   world"_s}
                                             << QByteArray(R"({"Env":["GREETING=hello   world"]})");
    QTest::newRow("env single quotes")
        << QStringList{u"ENV A='$x y'"_s} << QByteArray(R"({"Env":["A=$x y"]})");
    QTest::newRow("env escaped space")
        << QStringList{u"ENV A=b\\ c"_s} << QByteArray(R"({"Env":["A=b c"]})");
    QTest::newRow("env escaped quote in double quotes")
        << QStringList{u"ENV A=\"say \\\"hi\\\"\""_s} << QByteArray(R"({"Env":["A=say \"hi\""]})");
    QTest::newRow("env empty value") << QStringList{u"ENV A="_s} << QByteArray(R"({"Env":["A="]})");
    QTest::newRow("env replaces in place")
        << QStringList{u"ENV A=1 B=2"_s, u"ENV A=3"_s} << QByteArray(R"({"Env":["A=3","B=2"]})");
    QTest::newRow("env expansion of earlier ENV")
        << QStringList{u"ENV BASE=/opt"_s, u"ENV PATH=$BASE/bin:${BASE}/sbin"_s}
        << QByteArray(R"({"Env":["BASE=/opt","PATH=/opt/bin:/opt/sbin"]})");
    QTest::newRow("env same-line sees the old value")
        << QStringList{u"ENV A=1 B=$A"_s} << QByteArray(R"({"Env":["A=1","B="]})");
    QTest::newRow("env default and alternative")
        << QStringList{u"ENV X=set"_s, u"ENV A=${UNSET:-dflt} B=${X:+alt} C=${UNSET:+alt}"_s}
        << QByteArray(R"({"Env":["X=set","A=dflt","B=alt","C="]})");
    QTest::newRow("env escaped dollar")
        << QStringList{u"ENV A=\\$HOME"_s} << QByteArray(R"({"Env":["A=$HOME"]})");
    QTest::newRow("env lone dollar")
        << QStringList{u"ENV A=5$"_s} << QByteArray(R"({"Env":["A=5$"]})");
    QTest::newRow("env non-ascii")
        << QStringList{u"ENV VILLE=Montréal"_s} << QByteArray(R"({"Env":["VILLE=Montréal"]})");
    // EXPOSE
    QTest::newRow("expose") << QStringList{u"EXPOSE 80/tcp 443"_s}
                            << QByteArray(R"({"ExposedPorts":{"80/tcp":{},"443/tcp":{}}})");
    QTest::newRow("expose udp upper-case")
        << QStringList{u"EXPOSE 53/UDP"_s} << QByteArray(R"({"ExposedPorts":{"53/udp":{}}})");
    QTest::newRow("expose range") << QStringList{u"EXPOSE 8000-8002/sctp"_s}
                                  << QByteArray(R"({"ExposedPorts":{"8000/sctp":{},"8001/sctp":{},)"
                                                R"("8002/sctp":{}}})");
    QTest::newRow("expose variable") << QStringList{u"ENV P=8080"_s, u"EXPOSE $P"_s}
                                     << QByteArray(R"({"Env":["P=8080"],)"
                                                   R"("ExposedPorts":{"8080/tcp":{}}})");
    QTest::newRow("expose accumulates")
        << QStringList{u"EXPOSE 1"_s, u"EXPOSE 2/udp"_s}
        << QByteArray(R"({"ExposedPorts":{"1/tcp":{},"2/udp":{}}})");
    // LABEL
    QTest::newRow("label pairs") << QStringList{u"LABEL a=b \"c d\"=e"_s}
                                 << QByteArray(R"({"Labels":{"a":"b","c d":"e"}})");
    QTest::newRow("label legacy") << QStringList{u"LABEL maintainer Jean Dupont"_s}
                                  << QByteArray(R"({"Labels":{"maintainer":"Jean Dupont"}})");
    QTest::newRow("label dotted key quoted value")
        << QStringList{u"LABEL org.opencontainers.image.title=\"Mon app\""_s}
        << QByteArray(R"({"Labels":{"org.opencontainers.image.title":"Mon app"}})");
    QTest::newRow("label overrides") << QStringList{u"LABEL a=1"_s, u"LABEL a=2 b=3"_s}
                                     << QByteArray(R"({"Labels":{"a":"2","b":"3"}})");
    // USER, WORKDIR, STOPSIGNAL
    QTest::newRow("user") << QStringList{u"USER nobody"_s} << QByteArray(R"({"User":"nobody"})");
    QTest::newRow("user uid:gid") << QStringList{u"USER 1000:1000"_s}
                                  << QByteArray(R"({"User":"1000:1000"})");
    QTest::newRow("user variable") << QStringList{u"ENV U=app"_s, u"USER ${U}"_s}
                                   << QByteArray(R"({"Env":["U=app"],"User":"app"})");
    QTest::newRow("workdir") << QStringList{u"WORKDIR /srv/app"_s}
                             << QByteArray(R"({"WorkingDir":"/srv/app"})");
    QTest::newRow("workdir relative") << QStringList{u"WORKDIR /a"_s, u"WORKDIR b/../c"_s}
                                      << QByteArray(R"({"WorkingDir":"/a/c"})");
    QTest::newRow("workdir relative from root")
        << QStringList{u"WORKDIR data"_s} << QByteArray(R"({"WorkingDir":"/data"})");
    QTest::newRow("stopsignal name")
        << QStringList{u"STOPSIGNAL SIGQUIT"_s} << QByteArray(R"({"StopSignal":"SIGQUIT"})");
    QTest::newRow("stopsignal short name")
        << QStringList{u"STOPSIGNAL term"_s} << QByteArray(R"({"StopSignal":"term"})");
    QTest::newRow("stopsignal number")
        << QStringList{u"STOPSIGNAL 9"_s} << QByteArray(R"({"StopSignal":"9"})");
    QTest::newRow("stopsignal realtime")
        << QStringList{u"STOPSIGNAL SIGRTMIN+3"_s} << QByteArray(R"({"StopSignal":"SIGRTMIN+3"})");
    // VOLUME
    QTest::newRow("volume json") << QStringList{u"VOLUME [\"/data\"]"_s}
                                 << QByteArray(R"({"Volumes":{"/data":{}}})");
    QTest::newRow("volume words") << QStringList{u"VOLUME /a /b"_s}
                                  << QByteArray(R"({"Volumes":{"/a":{},"/b":{}}})");
    QTest::newRow("volume accumulates") << QStringList{u"VOLUME /a"_s, u"VOLUME [\"/b\", \"/c\"]"_s}
                                        << QByteArray(R"({"Volumes":{"/a":{},"/b":{},"/c":{}}})");
    // ONBUILD
    QTest::newRow("onbuild") << QStringList{u"ONBUILD RUN make"_s, u"ONBUILD copy . /src"_s}
                             << QByteArray(R"({"OnBuild":["RUN make","copy . /src"]})");
    // HEALTHCHECK
    QTest::newRow("healthcheck none")
        << QStringList{u"HEALTHCHECK NONE"_s} << QByteArray(R"({"Healthcheck":{"Test":["NONE"]}})");
    QTest::newRow("healthcheck shell")
        << QStringList{u"HEALTHCHECK CMD curl -f http://localhost/ || exit 1"_s}
        << QByteArray(
               R"({"Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost/ || exit 1"]}})");
    QTest::newRow("healthcheck json")
        << QStringList{u"HEALTHCHECK CMD [\"/bin/check\", \"--quick\"]"_s}
        << QByteArray(R"({"Healthcheck":{"Test":["CMD","/bin/check","--quick"]}})");
    QTest::newRow("healthcheck options")
        << QStringList{u"HEALTHCHECK --interval=5s --timeout=1m30s --start-period=500ms "
                       u"--start-interval=2s --retries=3 CMD true"_s}
        << QByteArray(R"({"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":5000000000,)"
                      R"("Timeout":90000000000,"StartPeriod":500000000,)"
                      R"("StartInterval":2000000000,"Retries":3}})");
    QTest::newRow("healthcheck fractional hours")
        << QStringList{u"HEALTHCHECK --interval=1.5h CMD true"_s}
        << QByteArray(R"({"Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":5400000000000}})");
    QTest::newRow("healthcheck zero durations left out")
        << QStringList{u"HEALTHCHECK --interval=0 --retries=0 CMD true"_s}
        << QByteArray(R"({"Healthcheck":{"Test":["CMD-SHELL","true"]}})");
    QTest::newRow("healthcheck none replaces")
        << QStringList{u"HEALTHCHECK CMD true"_s, u"HEALTHCHECK NONE"_s}
        << QByteArray(R"({"Healthcheck":{"Test":["NONE"]}})");
    // Everything at once, as `docker import -c … -c …` passes them.
    QTest::newRow("all together")
        << QStringList{u"ENV PATH=/usr/local/bin:/usr/bin"_s,
                       u"WORKDIR /app"_s,
                       u"USER app"_s,
                       u"EXPOSE 8080"_s,
                       u"VOLUME /app/data"_s,
                       u"LABEL version=1.0"_s,
                       u"STOPSIGNAL SIGINT"_s,
                       u"ENTRYPOINT [\"/app/run\"]"_s,
                       u"CMD [\"--serve\"]"_s}
        << QByteArray(R"({"Env":["PATH=/usr/local/bin:/usr/bin"],"WorkingDir":"/app",)"
                      R"("User":"app","ExposedPorts":{"8080/tcp":{}},"Volumes":{"/app/data":{}},)"
                      R"("Labels":{"version":"1.0"},"StopSignal":"SIGINT",)"
                      R"("Entrypoint":["/app/run"],"Cmd":["--serve"]})");
}

void tst_ImageChanges::apply()
{
    QFETCH(QStringList, changes);
    QFETCH(QByteArray, expected);
    QJsonObject config = object(R"({"architecture":"amd64","os":"linux"})");
    const Status s = applyImageChanges(config, changes);
    QVERIFY2(s.has_value(), s ? "" : qPrintable(s.error().message));
    const QJsonObject got = config.value(u"config").toObject();
    QCOMPARE(QJsonDocument(got).toJson(QJsonDocument::Compact),
             QJsonDocument(object(expected.constData())).toJson(QJsonDocument::Compact));
}

void tst_ImageChanges::refuse_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("fragment"); // in the message

    QTest::newRow("run") << u"RUN apt-get update"_s
                         << u"RUN is not supported by import: only CMD, ENTRYPOINT"_s;
    QTest::newRow("from") << u"FROM debian"_s << u"FROM is not supported by import"_s;
    QTest::newRow("copy keeps its spelling") << u"copy a b"_s << u"copy is not supported"_s;
    QTest::newRow("add") << u"ADD x /"_s << u"ADD is not supported"_s;
    QTest::newRow("shell") << u"SHELL [\"bash\"]"_s << u"SHELL is not supported"_s;
    QTest::newRow("maintainer") << u"MAINTAINER me"_s << u"MAINTAINER is not supported"_s;
    QTest::newRow("unknown word") << u"FOO bar"_s << u"FOO is not supported"_s;
    QTest::newRow("cmd empty") << u"CMD"_s << u"CMD needs a command"_s;
    QTest::newRow("entrypoint empty") << u"ENTRYPOINT   "_s << u"ENTRYPOINT needs a command"_s;
    QTest::newRow("cmd with a flag") << u"CMD --verbose run"_s << u"CMD has no option --verbose"_s;
    QTest::newRow("env nothing") << u"ENV"_s << u"ENV needs a name and a value"_s;
    QTest::newRow("env legacy no value") << u"ENV A"_s << u"ENV needs a name and a value"_s;
    QTest::newRow("env pair without =") << u"ENV A=1 B"_s << u"'B' is not of the form name=value"_s;
    QTest::newRow("env blank name") << u"ENV =x"_s << u"ENV names cannot be blank"_s;
    QTest::newRow("env open double quote")
        << u"ENV A=\"oops"_s << u"a double quote is not closed"_s;
    QTest::newRow("env open single quote") << u"ENV A='oops"_s << u"a single quote is not closed"_s;
    QTest::newRow("env bad substitution") << u"ENV A=${}"_s << u"is malformed"_s;
    QTest::newRow("env unclosed substitution") << u"ENV A=${B:-x"_s << u"is not closed"_s;
    QTest::newRow("env unsupported modifier")
        << u"ENV A=${B:=x}"_s << u"unsupported modifier ':='"_s;
    QTest::newRow("env required variable")
        << u"ENV A=\"${NOPE:?give NOPE}\""_s << u"NOPE is not set: give NOPE"_s;
    QTest::newRow("label blank name") << u"LABEL \"\"=x"_s << u"LABEL names cannot be blank"_s;
    QTest::newRow("label no value") << u"LABEL lonely"_s << u"LABEL needs a name and a value"_s;
    QTest::newRow("expose nothing") << u"EXPOSE"_s << u"EXPOSE needs at least one port"_s;
    QTest::newRow("expose word") << u"EXPOSE http"_s << u"'http' is not a port or port range"_s;
    QTest::newRow("expose too big") << u"EXPOSE 70000"_s << u"'70000' is not a port"_s;
    QTest::newRow("expose protocol") << u"EXPOSE 80/icmp"_s << u"protocol 'icmp'"_s;
    QTest::newRow("expose backwards range") << u"EXPOSE 90-80"_s << u"ends before it starts"_s;
    QTest::newRow("expose host mapping") << u"EXPOSE 127.0.0.1:80:80"_s << u"is not a port"_s;
    QTest::newRow("user empty") << u"USER"_s << u"USER needs a value"_s;
    QTest::newRow("user empty after expansion") << u"USER $NOBODY"_s << u"USER needs a value"_s;
    QTest::newRow("workdir empty") << u"WORKDIR"_s << u"WORKDIR needs a value"_s;
    QTest::newRow("stopsignal word") << u"STOPSIGNAL SIGNOPE"_s << u"'SIGNOPE' is not a signal"_s;
    QTest::newRow("stopsignal zero") << u"STOPSIGNAL 0"_s << u"'0' is not a signal"_s;
    QTest::newRow("stopsignal realtime too far")
        << u"STOPSIGNAL RTMIN+16"_s << u"is not a signal"_s;
    QTest::newRow("volume nothing") << u"VOLUME"_s << u"VOLUME needs at least one path"_s;
    QTest::newRow("volume empty json string")
        << u"VOLUME [\"\"]"_s << u"VOLUME paths cannot be empty"_s;
    QTest::newRow("onbuild nothing") << u"ONBUILD"_s << u"ONBUILD needs an instruction"_s;
    QTest::newRow("onbuild onbuild")
        << u"ONBUILD ONBUILD RUN x"_s << u"ONBUILD cannot trigger ONBUILD"_s;
    QTest::newRow("onbuild from") << u"ONBUILD FROM x"_s << u"ONBUILD cannot trigger 'FROM'"_s;
    QTest::newRow("healthcheck nothing") << u"HEALTHCHECK"_s << u"HEALTHCHECK needs CMD"_s;
    QTest::newRow("healthcheck none with args")
        << u"HEALTHCHECK NONE now"_s << u"HEALTHCHECK NONE takes no arguments"_s;
    QTest::newRow("healthcheck none with flag")
        << u"HEALTHCHECK --retries=2 NONE"_s << u"HEALTHCHECK NONE takes no arguments"_s;
    QTest::newRow("healthcheck other type")
        << u"HEALTHCHECK RUN x"_s << u"HEALTHCHECK has no type 'RUN'"_s;
    QTest::newRow("healthcheck no command")
        << u"HEALTHCHECK CMD"_s << u"HEALTHCHECK CMD needs a command"_s;
    QTest::newRow("healthcheck empty json")
        << u"HEALTHCHECK CMD []"_s << u"HEALTHCHECK CMD needs a command"_s;
    QTest::newRow("healthcheck bad duration")
        << u"HEALTHCHECK --interval=5 CMD true"_s << u"--interval=5 is not a duration"_s;
    QTest::newRow("healthcheck unknown unit")
        << u"HEALTHCHECK --timeout=3d CMD true"_s << u"--timeout=3d is not a duration"_s;
    QTest::newRow("healthcheck tiny duration")
        << u"HEALTHCHECK --interval=10us CMD true"_s << u"--interval cannot be less than 1ms"_s;
    QTest::newRow("healthcheck negative retries")
        << u"HEALTHCHECK --retries=-1 CMD true"_s << u"--retries=-1 is not a number"_s;
    QTest::newRow("healthcheck unknown flag")
        << u"HEALTHCHECK --every=5s CMD true"_s << u"HEALTHCHECK has no option --every"_s;
}

void tst_ImageChanges::refuse()
{
    QFETCH(QString, change);
    QFETCH(QString, fragment);
    QJsonObject config;
    const Status s = applyImageChanges(config, {change});
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::InvalidArgument);
    QVERIFY2(s.error().message.contains(fragment), qPrintable(s.error().message));
    // The message quotes the change, so a list of several says which one failed.
    QVERIFY2(s.error().message.contains(change.trimmed()), qPrintable(s.error().message));
}

void tst_ImageChanges::keepsTheRestOfTheConfig()
{
    QJsonObject config = object(R"({"architecture":"arm64","os":"linux","variant":"v8",
        "config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Labels":{"keep":"me"}},
        "rootfs":{"type":"layers","diff_ids":[]}})");
    const Status s = applyImageChanges(config, {u"ENV HOME=/root"_s, u"LABEL add=1"_s});
    QVERIFY(s.has_value());
    QCOMPARE(config.value(u"architecture").toString(), u"arm64"_s);
    QCOMPARE(config.value(u"variant").toString(), u"v8"_s);
    QVERIFY(config.value(u"rootfs").isObject());
    const QJsonObject c = config.value(u"config").toObject();
    QCOMPARE(c.value(u"Env").toArray(), (QJsonArray{u"PATH=/bin"_s, u"HOME=/root"_s}));
    QCOMPARE(c.value(u"Cmd").toArray(), QJsonArray{u"sh"_s});
    QCOMPARE(c.value(u"Labels").toObject(), object(R"({"keep":"me","add":"1"})"));
}

void tst_ImageChanges::failureLeavesConfigUnchanged()
{
    QJsonObject config = object(R"({"config":{"Cmd":["sh"]}})");
    const QJsonObject before = config;
    const Status s = applyImageChanges(config, {u"CMD [\"new\"]"_s, u"RUN nope"_s});
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(u"RUN nope"), qPrintable(s.error().message));
    QCOMPARE(config, before);
}

QTEST_GUILESS_MAIN(tst_ImageChanges)
#include "tst_imagechanges.moc"
