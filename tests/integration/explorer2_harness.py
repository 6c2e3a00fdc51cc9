# SPDX-License-Identifier: GPL-3.0-or-later
"""Orthanc 1.12.3 with StudyShare and the real Orthanc Explorer 2 1.14.1, as
docs/token-service.md documents it: the authorization plugin loaded after
StudyShare in its token-creation-only mode, so that Orthanc Explorer 2 shows
its Share button, and StudyShare answering the /auth/tokens routes.

The builds come from ../shared/third_party/ beside the checkout; a missing
one fails the test with its path (never a skip)."""

import os

from orthanc_harness import DICOMWEB_PLUGIN, NEWER_ORTHANC, OrthancError, OrthancProcess, REPO

THIRD_PARTY = os.path.join(os.path.dirname(REPO), "shared", "third_party")
OE2_PLUGIN = os.path.join(THIRD_PARTY, "orthanc-explorer-2", "libOrthancExplorer2-1.14.1.so")
AUTHORIZATION_PLUGIN = os.path.join(THIRD_PARTY, "orthanc-authorization", "libOrthancAuthorization-0.11.4.so")

# The documented configuration (docs/token-service.md, "Orthanc Explorer 2 beside the plugin").
# No validation or user-profile URL: the authorization plugin then installs no
# filter of its own and only registers /auth/tokens routes, which StudyShare,
# loaded before it, answers first. The creation URL is never called.
AUTHORIZATION_SECTION = {"WebServiceTokenCreationBaseUrl": "http://127.0.0.1:9/studyshare-answers-first/"}
EXPLORER2_SECTION = {
    "UiOptions": {"EnableShares": True, "ShareDuration": 7, "StudyListContentIfNoSearch": "most-recents"},
    "Tokens": {"ShareType": "stone-viewer-publication"},
}


def explorer2_builds():
    """The three third-party builds; raises (never skips) when one is absent."""
    for path in (NEWER_ORTHANC, OE2_PLUGIN, AUTHORIZATION_PLUGIN):
        if not os.path.isfile(path):
            raise OrthancError("Orthanc Explorer 2's tests need %s (see ../shared/third_party/README.md)" % path)
    return NEWER_ORTHANC, OE2_PLUGIN, AUTHORIZATION_PLUGIN


def explorer2_orthanc(studyshare_plugin, studyshare_section):
    """An OrthancProcess (not started) in the documented configuration."""
    binary, oe2, authorization = explorer2_builds()
    orthanc = OrthancProcess(plugins=[DICOMWEB_PLUGIN, studyshare_plugin, oe2, authorization], binary=binary,
                             extra_config={"StudyShare": dict(studyshare_section),
                                           "Authorization": dict(AUTHORIZATION_SECTION),
                                           "OrthancExplorer2": EXPLORER2_SECTION},
                             start=False)
    orthanc.extra_config["StudyShare"]["PublicUrl"] = orthanc.url
    return orthanc
