#include "logging.h"

Q_LOGGING_CATEGORY(lcReference, "berth.reference", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRegistry, "berth.registry", QtWarningMsg)
Q_LOGGING_CATEGORY(lcAuth, "berth.auth", QtWarningMsg)
Q_LOGGING_CATEGORY(lcHub, "berth.hub", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCredentials, "berth.credentials", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "berth.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcArchive, "berth.archive", QtWarningMsg)
