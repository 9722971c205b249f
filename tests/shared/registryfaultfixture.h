#pragma once

// What the tests of the registry client under faults (tst_registryfaults, tst_wirefaults) share:
// the FaultProxy rule patterns, the proxy's log for failure messages, a proxy logged in to one of
// the test registries, and a manifest or blob fetched through it.

#include "faultproxy.h"
#include "testcredentials.h"

#include "oci/manifest.h"
#include "registry/registryclient.h"

#include <QString>

#include <memory>
#include <optional>

namespace BerthTest {

// Path patterns for the proxy's rules.
QString blobPath(const QString &repository);
QString manifestPath(const QString &repository);
QString uploadPath(const QString &repository);

// The proxy's log, one request a line, for failure messages.
QString requestLog(const FaultProxy &proxy);

// Transport options whose retries wait 10 ms, not seconds: the faults, not the waits, are tested.
Berth::RegistryTransportOptions quickRetries(int maxAttempts);

// A listening proxy in front of the test registry of `flavour`, with that registry's login stored
// for the proxy's host; null when it cannot listen.
std::unique_ptr<FaultProxy> startFaultProxy(const QString &flavour, TestCredentials &credentials);

// The image manifest of `reference`; on an error the current test fails and nothing is returned.
std::optional<Berth::ImageManifest> fetchImageManifest(Berth::RegistryClient &client,
                                                       const Berth::ImageReference &reference);

// Downloads one blob of `repository` into `content` (what arrived, also on failure).
Berth::Result<qint64> downloadBlobInto(Berth::RegistryClient &client,
                                       const Berth::ImageReference &repository,
                                       const Berth::Digest &digest,
                                       QByteArray *content,
                                       Berth::BlobDownloadOptions options = {});

} // namespace BerthTest
