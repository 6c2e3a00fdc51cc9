// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "IInboxArchive.h"
#include "IShareStore.h"
#include "TokenVerifier.h"
#include "ZipArchive.h"

#include <functional>
#include <string_view>

namespace studyshare
{
  struct InboxUploadContext
  {
    std::string clientAddress;
    std::string userAgent;
    std::string contentType;  // application/dicom or application/zip
    std::string fileName;     // as the uploader named the file (never trusted, only echoed)
  };

  // POST /share/api/inbox/files and GET /share/api/inbox/summary, for the
  // session of an inbox (from /share/api/open). Each file is claimed in the
  // store (UIDs and limits, atomically) before the archive stores it. The
  // uploader learns only "accepted", "not-accepted" or "not-dicom": why a
  // file was not accepted is written to the audit trail for staff.
  class InboxReceiver
  {
  public:
    InboxReceiver(IShareStore& store, const TokenVerifier& verifier, IInboxArchive& archive,
                  std::function<int64_t()> clock, int64_t maxCompressionRatio = 200);

    ApiResponse Upload(std::string_view sessionToken, std::string_view body, const InboxUploadContext& context);
    ApiResponse Summary(std::string_view sessionToken);

    // Told when an uploader says a batch is finished; answers whether staff were notified.
    using CompletionListener = std::function<bool(const std::string& inboxId, const InboxUploadContext& context)>;
    void SetCompletionListener(CompletionListener listener) { onComplete_ = std::move(listener); }

    // POST /share/api/inbox/complete: the same session as an upload, an empty
    // body; answers {"Notified": true | false}.
    ApiResponse Complete(std::string_view sessionToken, std::string_view body, const InboxUploadContext& context);

  private:
    struct Session;
    struct FileOutcome;

    std::optional<ApiResponse> Authenticate(std::string_view sessionToken, Session& session);
    FileOutcome Receive(Session& session, const std::string& name, std::string_view file,
                        const InboxUploadContext& context);
    ApiResponse UploadZip(Session& session, std::string_view body, const InboxUploadContext& context);
    ApiResponse Finish(Session& session, const std::vector<FileOutcome>& outcomes, int status,
                       const InboxUploadContext& context, const std::string& error = "");
    void AuditRefusal(const Session& session, const std::string& detail, const InboxUploadContext& context);

    IShareStore& store_;
    const TokenVerifier& verifier_;
    IInboxArchive& archive_;
    std::function<int64_t()> clock_;
    const int64_t maxCompressionRatio_;
    CompletionListener onComplete_;
  };
}
