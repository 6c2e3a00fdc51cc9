// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareApi.h"

#include "AccessCode.h"
#include "Crypto.h"
#include "InboxSummary.h"
#include "IsoTime.h"
#include "PasswordHasher.h"
#include "ShareRequest.h"
#include "ShareTokens.h"
#include "StudyResolution.h"
#include "Utf8Text.h"

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    Json DescribeStudy(const SharedStudy& study)
    {
      return {{"OrthancId", study.orthancId},
              {"DicomUid", study.dicomUid},
              {"PatientName", study.patientName},
              {"PatientID", study.patientId},
              {"StudyDate", study.studyDate},
              {"StudyDescription", study.studyDescription},
              {"AccessionNumber", study.accessionNumber}};
    }

    Json DescribeEvent(const AuditEvent& event)
    {
      // Stores keep what they were given; an event written before the
      // stores sanitized, or by another store, must not break the whole trail.
      return {{"Time", FormatIsoTime(event.at)},
              {"Event", ToValidUtf8(event.event)},
              {"Outcome", ToValidUtf8(event.outcome)},
              {"Actor", ToValidUtf8(event.actor)},
              {"ClientAddress", ToValidUtf8(event.clientAddress)},
              {"UserAgent", ToValidUtf8(event.userAgent)}};
    }

    bool ReadBoolArgument(const std::string& value)
    {
      if (value == "true" || value == "1")
      {
        return true;
      }
      if (value == "false" || value == "0")
      {
        return false;
      }
      throw BadRequest("boolean arguments must be true or false");
    }

    Json DescribeMailReport(const ShareMailReport& report)
    {
      Json messages = Json::array();
      for (const SentMail& mail : report.messages)
      {
        Json item = {{"Content", mail.content}, {"Sent", mail.sent}};
        if (mail.sent)
        {
          item["MessageId"] = mail.messageId;
        }
        else
        {
          item["Error"] = mail.error;
        }
        messages.push_back(item);
      }
      Json answer = {{"Sent", report.sent}, {"To", report.to}, {"Language", report.language}, {"Messages", messages}};
      if (!report.sent)
      {
        answer["Error"] = report.error;
      }
      if (!report.accessCode.empty())
      {
        answer["AccessCode"] = report.accessCode;
      }
      if (!report.password.empty())
      {
        answer["Password"] = report.password;
      }
      return answer;
    }
  }

  ShareApi::ShareApi(const SharingSettings& config, IShareStore& store, IStudyCatalog& catalog,
                     const TokenSigner& signer, std::function<int64_t()> clock)
    : config_(config), store_(store), catalog_(catalog), signer_(signer), clock_(std::move(clock))
  {
  }

  ApiResponse ShareApi::Error(int status, const std::string& message)
  {
    return {status,
            {{"Error", status == 400   ? "bad-request"
                       : status == 404 ? "not-found"
                                       : "error"},
             {"Message", message}}};
  }

  std::string ShareApi::IssueShareToken(const Share& share) const
  {
    return studyshare::IssueShareToken(signer_, config_.audience, share);
  }

  std::string ShareApi::BuildShareUrl(const std::string& token) const
  {
    // The token travels in the fragment: browsers never send it to a server,
    // so it stays out of access logs and Referer headers.
    return config_.publicUrl + "/share/#token=" + token;
  }

  // A share that asks one birth date must be of one patient with one birth
  // date: otherwise the answer for one patient would open another's studies.
  void ShareApi::RequireOnePatient(const std::vector<SharedStudy>& studies)
  {
    std::optional<std::pair<std::string, std::string>> patient;  // PatientID, PatientBirthDate
    for (const SharedStudy& study : studies)
    {
      const std::optional<CatalogStudy> found = catalog_.FindByOrthancId(study.orthancId);
      const std::pair<std::string, std::string> current = {study.patientId, found ? found->patientBirthDate : ""};
      if (!patient)
      {
        patient = current;
      }
      else if (current != *patient)
      {
        throw BadRequest(
          "'RequireBirthDate' asks one birth date, but these studies belong to more than one patient "
          "(or differ in PatientBirthDate): share each patient's studies separately");
      }
    }
  }

  ApiResponse ShareApi::Create(const std::string& body, const ApiCaller& caller)
  {
    const int64_t now = clock_();
    Share share;
    std::string accessCode;
    std::string password;
    std::optional<ShareMail> mail;
    bool emailNotConfigured = false;
    std::string language;                    // the letter's, like the e-mail's
    std::vector<SharedStudy> letterStudies;  // what the letter names, even for copies not made yet
    try
    {
      ShareRequestLimits limits;
      limits.now = now;
      limits.maxValidityDuration = config_.maxValidityDuration;
      limits.allowNeverExpiring = config_.allowNeverExpiring;
      limits.maxStudies = static_cast<size_t>(config_.maxShareStudies);
      const ShareRequest request = ShareRequest::Parse(body, limits);
      // E-mail contract: sent when Recipient.Email is given, unless SendEmail is false.
      const bool wantsEmail = !request.recipientEmail.empty() && request.sendEmail.value_or(true) &&
                              request.kind == ShareKind::Share;  // the e-mail texts speak of images to see
      if (wantsEmail && !mailer_)
      {
        if (request.sendEmail.value_or(false))
        {
          throw BadRequest("'SendEmail' is true but this server has no SMTP server configured (StudyShare.Smtp)");
        }
        emailNotConfigured = true;
      }

      if (request.requireEmailCode && !mailer_)
      {
        throw BadRequest(
          "'RequireEmailCode' needs e-mail, and this server has no SMTP server configured "
          "(StudyShare.Smtp)");
      }
      if (request.label)
      {
        if (auto refusal = RefuseLabel(*request.label, caller))
        {
          return *refusal;
        }
        share.studies = {SharedStudy::ForLabel(*request.label)};
      }
      else
      {
        if (request.kind == ShareKind::Share)  // an inbox names no study
        {
          share.studies = ResolveSharedStudies(catalog_, request.studies, limits.maxStudies, request.requireBirthDate);
        }
        if (request.requireBirthDate)
        {
          RequireOnePatient(share.studies);
        }
        RefuseCopies(share.studies);
        if (auto refusal = RefuseUnlabelled(share.studies, caller))
        {
          return *refusal;
        }
      }
      language = request.recipientLanguage.empty() ? config_.email.defaultLanguage : request.recipientLanguage;
      letterStudies = share.studies;
      if (request.anonymize)
      {
        if (!anonymizer_)
        {
          throw BadRequest("'Anonymize' is not available here: only the StudyShare plugin copies studies");
        }
        if (!request.allowBurnedInAnnotation)
        {
          RefusePixelText(share.studies);
        }
        // The share names its copies once they exist; until then, nothing.
        share.anonymize = true;
        for (const SharedStudy& study : share.studies)
        {
          share.anonymization.originals.push_back(study.orthancId);
        }
        share.studies.clear();
      }
      share.id = crypto::RandomId(16);
      share.createdAt = now;
      share.expiresAt = request.expiresAt;
      share.permissions = request.permissions;
      share.maxUses = request.maxUses;
      share.passwordHash = request.password.empty() ? "" : PasswordHasher::Hash(request.password);
      share.requireBirthDate = request.requireBirthDate;
      share.requireEmailCode = request.requireEmailCode;
      if (request.accessCode)
      {
        accessCode = AccessCode::Generate();
        share.accessCodeHash = AccessCode::Digest(*AccessCode::Normalize(accessCode));
      }
      share.viewer = request.viewer.empty() ? "builtin" : request.viewer;
      share.createdBy = caller.user.name;
      share.note = request.note;
      share.recipientJson = request.recipientJson;
      share.kind = request.kind;
      share.inboxLimits = request.inboxLimits;
      if (wantsEmail && mailer_)
      {
        mail = ShareMail();
        mail->to = request.recipientEmail;
        mail->recipientName = request.recipientName;
        mail->language = request.recipientLanguage;
        mail->birthDateRequired = request.requireBirthDate;
        mail->expiresAt = request.expiresAt;
        mail->note = request.note;
        mail->senderName = SenderName(caller.user.name);
        password = request.password;
      }
    }
    catch (const BadRequest& e)
    {
      return Error(400, e.what());
    }
    catch (const CatalogUnavailable& e)
    {
      return Error(503, std::string("the study database cannot be read: ") + e.what());
    }

    store_.Create(share,
                  {share.id, now, "create", "success", caller.user.name, caller.clientAddress, caller.userAgent});

    if (share.anonymize)
    {
      anonymizer_->Prepare(share.id);
    }

    if (shortLinks_)
    {
      store_.SetShortKey(share.id, shortLinks_->Digest(shortLinks_->KeyFor(share.id)));
    }
    const std::string token = IssueShareToken(share);
    Json answer = Describe(share, now);
    answer["Token"] = token;
    answer["Url"] = BuildShareUrl(token);
    answer["ShortUrl"] = shortLinks_ ? Json(config_.publicUrl + "/s/#" + shortLinks_->KeyFor(share.id)) : Json();
    if (!accessCode.empty())
    {
      answer["AccessCode"] = accessCode;
      answer["CodePageUrl"] = config_.publicUrl + "/share/";  // where the code is typed
    }
    if (share.kind == ShareKind::Share)  // the letter tells of images to see
    {
      answer["Letter"] = DescribeLetter(share, letterStudies, answer, language);
    }

    // The share is stored: an e-mail failure is reported, never undoes it.
    if (mail)
    {
      mail->shareId = share.id;
      mail->link = answer[answer["ShortUrl"].is_string() ? "ShortUrl" : "Url"].get<std::string>();
      mail->accessCode = accessCode;
      mail->password = password;
      const ShareMailReport report = mailer_->Send(*mail);
      for (const SentMail& sent : report.messages)
      {
        store_.AppendAudit({share.id, clock_(), sent.content == "link" ? "email" : "email-access-code",
                            sent.sent ? "success" : "failure", caller.user.name, caller.clientAddress,
                            caller.userAgent});
      }
      answer["Email"] = DescribeMailReport(report);
    }
    else if (emailNotConfigured)
    {
      answer["Email"] = {{"Sent", false},
                         {"Error",
                          "no SMTP server is configured on this server (StudyShare.Smtp): "
                          "the e-mail was not sent"}};
    }
    return {201, answer};
  }

  ApiResponse ShareApi::List(const HttpPairs& arguments, const ApiCaller& caller)
  {
    ShareFilter filter;
    filter.now = clock_();
    try
    {
      for (const auto& [key, value] : arguments)
      {
        if (key == "study")
        {
          filter.studyOrthancId = value;
        }
        else if (key == "active")
        {
          filter.activeOnly = ReadBoolArgument(value);
        }
        else
        {
          throw BadRequest("unknown argument '" + key + "' (use study, active)");
        }
      }
    }
    catch (const BadRequest& e)
    {
      return Error(400, e.what());
    }
    if (caller.user.role != StaffRole::Admin)
    {
      filter.createdBy = caller.user.name;
    }
    Json list = Json::array();
    for (const Share& share : store_.List(filter))
    {
      list.push_back(Describe(share, filter.now));
    }
    return {200, list};
  }

  std::optional<Share> ShareApi::LookupVisible(const std::string& id, const ApiCaller& caller)
  {
    std::optional<Share> share = store_.Lookup(id);
    if (share && caller.user.role != StaffRole::Admin && share->createdBy != caller.user.name)
    {
      return std::nullopt;
    }
    return share;
  }

  ApiResponse ShareApi::Get(const std::string& id, const ApiCaller& caller)
  {
    const std::optional<Share> share = LookupVisible(id, caller);
    if (!share)
    {
      return Error(404, "no share " + id);
    }
    Json answer = Describe(*share, clock_());
    const std::string token = IssueShareToken(*share);
    answer["Token"] = token;
    answer["Url"] = BuildShareUrl(token);
    const std::string shortUrl = ShortUrlOf(*share);
    answer["ShortUrl"] = shortUrl.empty() ? Json() : Json(shortUrl);
    return {200, answer};
  }

  ApiResponse ShareApi::Revoke(const std::string& id, const ApiCaller& caller)
  {
    if (!LookupVisible(id, caller))
    {
      return Error(404, "no share " + id);
    }
    const int64_t now = clock_();
    store_.Revoke(id, now, {id, now, "revoke", "success", caller.user.name, caller.clientAddress, caller.userAgent});
    if (onRevoked_)
    {
      onRevoked_(id);
    }
    const std::optional<Share> share = store_.Lookup(id);
    if (share && share->anonymize && anonymizer_)
    {
      anonymizer_->ShareEnded(id);
    }
    return {200, Describe(*share, now)};
  }

  std::string ShareApi::ShortUrlOf(const Share& share)
  {
    // The key is derived again, and shown only if the store still holds its
    // digest for this share: a share made before short links, or before the
    // server's first key changed, has none that works.
    if (!shortLinks_)
    {
      return "";
    }
    const std::string key = shortLinks_->KeyFor(share.id);
    const std::optional<Share> found = store_.FindByShortKey(shortLinks_->Digest(key));
    return found && found->id == share.id ? config_.publicUrl + "/s/#" + key : "";
  }

  ApiResponse ShareApi::Audit(const std::string& id, const ApiCaller& caller)
  {
    if (!LookupVisible(id, caller))
    {
      return Error(404, "no share " + id);
    }
    Json events = Json::array();
    for (const AuditEvent& event : store_.ListAudit(id))
    {
      events.push_back(DescribeEvent(event));
    }
    return {200, events};
  }

  Json ShareApi::Describe(const Share& share, int64_t now) const
  {
    Json studies = Json::array();
    const std::optional<std::string> label = share.SharedLabel();
    for (const SharedStudy& study : share.studies)
    {
      if (!study.IsLabel())
      {
        studies.push_back(DescribeStudy(study));
      }
    }
    const ShareState state = share.StateAt(now);
    const std::optional<int64_t> lockedUntil = state == ShareState::Active ? LockedUntil(share, now) : std::nullopt;
    Json answer = {
      {"ID", share.id},
      {"Kind", ToString(share.kind)},
      {"Studies", studies},
      {"Label", label ? Json(*label) : Json(nullptr)},
      {"Permissions", share.PermissionNames()},
      {"State", lockedUntil ? "locked" : ToString(state)},
      {"LockedUntil", lockedUntil ? Json(FormatIsoTime(*lockedUntil)) : Json(nullptr)},
      {"CreatedAt", FormatIsoTime(share.createdAt)},
      {"CreatedBy", share.createdBy},
      {"ExpirationDate", share.expiresAt ? Json(FormatIsoTime(*share.expiresAt)) : Json(nullptr)},
      {"RevokedAt", share.revokedAt ? Json(FormatIsoTime(*share.revokedAt)) : Json(nullptr)},
      {"MaxUses", share.maxUses ? Json(*share.maxUses) : Json(nullptr)},
      {"Uses", share.uses},
      {"HasPassword", !share.passwordHash.empty()},
      {"RequireBirthDate", share.requireBirthDate},
      {"RequireEmailCode", share.requireEmailCode},
      {"HasAccessCode", !share.accessCodeHash.empty()},
      {"Viewer", share.viewer},
      {"TokenType", share.tokenType.empty() ? Json() : Json(share.tokenType)},
      {"Note", share.note},
      {"Anonymization",
       share.anonymize
         ? Json{{"State", ToString(share.anonymization.state)},
                {"Error", share.anonymization.error.empty() ? Json(nullptr) : Json(share.anonymization.error)},
                {"Originals", share.anonymization.originals},
                {"CopiesDeleted", share.anonymization.copiesDeleted}}
         : Json(nullptr)},
      {"Recipient", share.recipientJson.empty() ? Json(nullptr) : Json::parse(share.recipientJson)}};
    if (share.IsInbox())
    {
      answer["MaxUploadBytes"] = share.inboxLimits.maxUploadBytes;
      answer["MaxFileBytes"] = share.inboxLimits.maxFileBytes;
      answer["MaxFiles"] = share.inboxLimits.maxFiles;
      answer["Received"] = SummarizeReceived(store_.ListReceived(share.id), true);
    }
    return answer;
  }
}
