// SPDX-License-Identifier: GPL-3.0-or-later
#include "InboxReceiver.h"

#include "InboxSummary.h"
#include "TextUtilities.h"
#include "Utf8Text.h"

namespace studyshare
{
  using Json = nlohmann::json;

  namespace
  {
    constexpr size_t kMaxNameBytes = 255;

    ApiResponse Refuse(int status, const char* code, const std::string& message)
    {
      return {status, {{"Error", code}, {"Message", message}}};
    }

    // The usual states, as /share/api/open names them; a session opened with
    // the last use keeps working, as at the gate.
    std::optional<ApiResponse> RefuseState(ShareState state)
    {
      switch (state)
      {
        case ShareState::Revoked:
          return Refuse(410, "revoked", "this upload link has been closed by the hospital");
        case ShareState::Expired:
          return Refuse(410, "expired", "this upload link has expired");
        case ShareState::Exhausted:
        case ShareState::Active:
          break;
      }
      return std::nullopt;
    }

    std::string MediaType(const std::string& contentType)
    {
      return ToLowerAscii(Trim(contentType.substr(0, contentType.find(';'))));
    }

    // X-File-Name carries encodeURIComponent(name): header values are ASCII.
    std::string PercentDecoded(const std::string& text)
    {
      std::string decoded;
      for (size_t i = 0; i < text.size(); i++)
      {
        const auto hex = [](char c) -> int
        {
          return c >= '0' && c <= '9'   ? c - '0'
                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                        : -1;
        };
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0)
        {
          decoded.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
          i += 2;
        }
        else
        {
          decoded.push_back(text[i]);
        }
      }
      return decoded;
    }

    std::string SafeName(const std::string& name)
    {
      const std::string valid = ToValidUtf8(PercentDecoded(name));
      return valid.size() <= kMaxNameBytes ? valid : ToValidUtf8(valid.substr(valid.size() - kMaxNameBytes));
    }
  }

  struct InboxReceiver::Session
  {
    std::string inboxId;
    InboxLimits limits;
  };

  struct InboxReceiver::FileOutcome
  {
    std::string name;
    const char* status = "not-accepted";
    bool duplicate = false;
    std::optional<ApiResponse> stop;  // the upload ends here (a limit, the inbox closed)
  };

  InboxReceiver::InboxReceiver(IShareStore& store, const TokenVerifier& verifier, IInboxArchive& archive,
                               std::function<int64_t()> clock, int64_t maxCompressionRatio)
    : store_(store), verifier_(verifier), archive_(archive), clock_(std::move(clock)),
      maxCompressionRatio_(maxCompressionRatio)
  {
  }

  std::optional<ApiResponse> InboxReceiver::Authenticate(std::string_view sessionToken, Session& session)
  {
    const TokenCheck check = verifier_.Verify(sessionToken, TokenType::Session, clock_());
    if (!check.IsValid())
    {
      return Refuse(401, "invalid", "open the upload link again");
    }
    const std::optional<Share> share = store_.Lookup(check.claims.shareId);
    if (!share)
    {
      return Refuse(401, "invalid", "open the upload link again");
    }
    if (!share->IsInbox())
    {
      return Refuse(403, "not-an-inbox", "this link does not accept uploads");
    }
    if (auto refused = RefuseState(share->StateAt(clock_())))
    {
      return refused;
    }
    session.inboxId = share->id;
    session.limits = share->inboxLimits;
    return std::nullopt;
  }

  void InboxReceiver::AuditRefusal(const Session& session, const std::string& detail, const InboxUploadContext& context)
  {
    store_.AppendAudit(
      {session.inboxId, clock_(), "upload-refused", detail, "", context.clientAddress, context.userAgent});
  }

  InboxReceiver::FileOutcome InboxReceiver::Receive(Session& session, const std::string& name, std::string_view file,
                                                    const InboxUploadContext& context)
  {
    FileOutcome outcome;
    outcome.name = name;
    // Closed while files were on their way: nothing more is taken.
    const std::optional<Share> share = store_.Lookup(session.inboxId);
    if (!share)
    {
      outcome.stop = Refuse(410, "revoked", "this upload link has been closed by the hospital");
      return outcome;
    }
    if (auto refused = RefuseState(share->StateAt(clock_())))
    {
      outcome.stop = refused;
      return outcome;
    }
    if (static_cast<int64_t>(file.size()) > session.limits.maxFileBytes)
    {
      outcome.stop =
        Refuse(413, "too-large",
               "a file is larger than this link accepts (" + std::to_string(session.limits.maxFileBytes) + " bytes)");
      return outcome;
    }
    const std::optional<IInboxArchive::DicomFacts> facts = archive_.Read(file);
    if (!facts)
    {
      outcome.status = "not-dicom";
      return outcome;
    }
    ReceivedInstance instance;
    instance.shareId = session.inboxId;
    instance.sopInstanceUid = facts->sopInstanceUid;
    instance.seriesInstanceUid = facts->seriesInstanceUid;
    instance.studyInstanceUid = facts->studyInstanceUid;
    instance.patientName = facts->patientName;
    instance.patientId = facts->patientId;
    instance.studyDate = facts->studyDate;
    instance.studyDescription = facts->studyDescription;
    instance.modality = facts->modality;
    instance.bytes = static_cast<int64_t>(file.size());
    instance.at = clock_();

    const InboxClaim claim = store_.ClaimInboxInstance(instance, archive_.Find(*facts), session.limits);
    switch (claim)
    {
      case InboxClaim::Claimed:
        break;
      case InboxClaim::AlreadyReceived:
        outcome.status = "accepted";
        outcome.duplicate = true;
        return outcome;
      case InboxClaim::TooManyFiles:
      case InboxClaim::TooManyBytes:
        AuditRefusal(session, instance.sopInstanceUid + ": " + Describe(claim), context);
        outcome.stop = Refuse(413, "limit-reached", "this link has received as much as it accepts");
        return outcome;
      default:
        AuditRefusal(session, instance.sopInstanceUid + ": " + Describe(claim), context);
        return outcome;
    }

    const IInboxArchive::Stored stored = archive_.Store(file);
    if (!stored.success || stored.alreadyStored)
    {
      store_.ReleaseInboxInstance(session.inboxId, instance.sopInstanceUid);
      AuditRefusal(session,
                   instance.sopInstanceUid + ": " +
                     (stored.alreadyStored ? std::string("Orthanc received the same instance from elsewhere meanwhile")
                                           : "Orthanc refused it: " + stored.error),
                   context);
      return outcome;
    }
    archive_.Mark(stored.instanceId, session.inboxId);
    instance.orthancInstanceId = stored.instanceId;
    instance.orthancStudyId = stored.studyId;
    store_.CompleteInboxInstance(instance);
    outcome.status = "accepted";
    return outcome;
  }

  ApiResponse InboxReceiver::Finish(Session& session, const std::vector<FileOutcome>& outcomes, int status,
                                    const InboxUploadContext& context, const std::string& error)
  {
    Json files = Json::array();
    int64_t accepted = 0;
    int64_t refused = 0;
    int64_t notDicom = 0;
    for (const FileOutcome& outcome : outcomes)
    {
      Json item = {{"Name", outcome.name}, {"Status", outcome.status}};
      if (outcome.duplicate)
      {
        item["Duplicate"] = true;
      }
      files.push_back(item);
      const std::string statusName = outcome.status;
      (statusName == "accepted" ? accepted : statusName == "not-dicom" ? notDicom : refused)++;
    }
    store_.AppendAudit({session.inboxId, clock_(), "upload",
                        "accepted " + std::to_string(accepted) + ", not accepted " + std::to_string(refused) +
                          ", not DICOM " + std::to_string(notDicom) + (error.empty() ? "" : ", stopped: " + error),
                        "", context.clientAddress, context.userAgent});
    return {status, {{"Accepted", accepted}, {"Files", files}}};
  }

  ApiResponse InboxReceiver::UploadZip(Session& session, std::string_view body, const InboxUploadContext& context)
  {
    ZipLimits limits;
    limits.maxMembers = session.limits.maxFiles;
    limits.maxMemberBytes = session.limits.maxFileBytes;
    limits.maxTotalBytes = session.limits.maxUploadBytes;
    limits.maxCompressionRatio = maxCompressionRatio_;
    std::vector<FileOutcome> outcomes;
    try
    {
      ZipArchive zip(body, limits);
      for (const ZipArchive::Member& member : zip.Members())
      {
        FileOutcome outcome;
        const std::string content = zip.Read(member);
        outcome = Receive(session, member.name, content, context);
        if (outcome.stop)
        {
          ApiResponse stopped = Finish(session, outcomes, outcome.stop->status, context, outcome.stop->body["Error"]);
          stopped.body.update(outcome.stop->body);
          return stopped;
        }
        outcomes.push_back(outcome);
      }
    }
    catch (const ZipRefused& e)
    {
      ApiResponse refused = Finish(session, outcomes, e.IsOverLimit() ? 413 : 400, context, e.what());
      refused.body["Error"] = e.IsOverLimit() ? "too-large" : "bad-zip";
      refused.body["Message"] = e.what();
      return refused;
    }
    return Finish(session, outcomes, 200, context);
  }

  ApiResponse InboxReceiver::Upload(std::string_view sessionToken, std::string_view body,
                                    const InboxUploadContext& context)
  {
    Session session;
    if (auto refused = Authenticate(sessionToken, session))
    {
      return *refused;
    }
    const std::string type = MediaType(context.contentType);
    if (type == "application/zip" || type == "application/x-zip-compressed")
    {
      if (static_cast<int64_t>(body.size()) > session.limits.maxUploadBytes)
      {
        return Refuse(413, "too-large", "the ZIP is larger than this link accepts");
      }
      return UploadZip(session, body, context);
    }
    if (type != "application/dicom")
    {
      return Refuse(415, "unsupported-type", "send one DICOM file (application/dicom) or a ZIP (application/zip)");
    }
    FileOutcome outcome = Receive(session, SafeName(context.fileName), body, context);
    if (outcome.stop)
    {
      ApiResponse stopped = Finish(session, {}, outcome.stop->status, context, outcome.stop->body["Error"]);
      stopped.body.update(outcome.stop->body);
      return stopped;
    }
    return Finish(session, {outcome}, 200, context);
  }

  ApiResponse InboxReceiver::Summary(std::string_view sessionToken)
  {
    Session session;
    if (auto refused = Authenticate(sessionToken, session))
    {
      return *refused;
    }
    Json answer = SummarizeReceived(store_.ListReceived(session.inboxId), false);
    answer["MaxUploadBytes"] = session.limits.maxUploadBytes;
    answer["MaxFileBytes"] = session.limits.maxFileBytes;
    answer["MaxFiles"] = session.limits.maxFiles;
    return {200, answer};
  }

  ApiResponse InboxReceiver::Complete(std::string_view sessionToken, std::string_view body,
                                      const InboxUploadContext& context)
  {
    Session session;
    if (auto refused = Authenticate(sessionToken, session))
    {
      return *refused;
    }
    if (!body.empty())
    {
      return Refuse(400, "bad-request", "the body must be empty");
    }
    const bool notified = onComplete_ ? onComplete_(session.inboxId, context) : false;
    return {200, {{"Notified", notified}}};
  }
}
