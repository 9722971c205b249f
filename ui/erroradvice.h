#pragma once

#include "common/result.h"

#include <QCoreApplication>

namespace Berth {

// What the user can do about a failure, in their terms. One place, so that every page words
// the same failure the same way.
class ErrorAdvice
{
    Q_DECLARE_TR_FUNCTIONS(ErrorAdvice)

public:
    // For errors from Docker Hub's API.
    static QString forHub(const Error &error);
    // For errors from a registry; `registry` names it: "docker.io", "localhost:5000".
    static QString forRegistry(const Error &error, const QString &registry);
};

inline QString hubAdvice(const Error &error)
{
    return ErrorAdvice::forHub(error);
}

inline QString registryAdvice(const Error &error, const QString &registry)
{
    return ErrorAdvice::forRegistry(error, registry);
}

} // namespace Berth
