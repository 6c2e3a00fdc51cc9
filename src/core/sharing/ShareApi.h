// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "HttpRequest.h"
#include "IAnonymizationQueue.h"
#include "IShareStore.h"
#include "IStudyCatalog.h"
#include "IStudyLabels.h"
#include "ShareMailer.h"
#include "SharingSettings.h"
#include "ShortLinkKeys.h"
#include "StaffDirectory.h"
#include "TokenSigner.h"

#include <functional>
#include <nlohmann/json.hpp>

namespace studyshare
{
  struct ApiCaller
  {
    StaffUser user;
    std::string clientAddress;
    std::string userAgent;
  };

  // The staff REST API on shares (/studyshare/shares...), independent of the
  // HTTP server: bodies in, status and JSON out. Sharers see and revoke only
  // their own shares; admins all.
  class ShareApi
  {
  public:
    ShareApi(const SharingSettings& config, IShareStore& store, IStudyCatalog& catalog, const TokenSigner& signer,
             std::function<int64_t()> clock);

    // E-mail to recipients (optional): without it, a request with SendEmail true is refused.
    void SetMailer(const ShareMailer* mailer) { mailer_ = mailer; }
    bool EmailEnabled() const { return mailer_ != nullptr; }

    // Told of every revocation, e.g. to drop answers a token service gave earlier.
    void SetRevocationListener(std::function<void(const std::string& shareId)> listener)
    {
      onRevoked_ = std::move(listener);
    }

    // Anonymized shares (optional): without it, "Anonymize": true is refused.
    void SetAnonymizationQueue(IAnonymizationQueue* queue) { anonymizer_ = queue; }

    // Sharers limited to labels (Users.{name}.Labels) may share only studies
    // carrying one of their labels, and only their labels; without `labels`
    // such a sharer shares nothing, and no one shares by label.
    void SetStaffLabels(const StaffDirectory* staff, IStudyLabels* labels)
    {
      staff_ = staff;
      studyLabels_ = labels;
    }
    // Short links (optional): with them, every new share gets one (ShortUrl).
    void SetShortLinks(const ShortLinkKeys* keys) { shortLinks_ = keys; }

    ApiResponse Create(const std::string& body, const ApiCaller& caller);
    ApiResponse List(const HttpPairs& arguments, const ApiCaller& caller);
    ApiResponse Get(const std::string& id, const ApiCaller& caller);
    ApiResponse Revoke(const std::string& id, const ApiCaller& caller);
    ApiResponse Audit(const std::string& id, const ApiCaller& caller);
    // POST /studyshare/shares/{id}/unlock: forgets the failed answers that lock it.
    ApiResponse Unlock(const std::string& id, const ApiCaller& caller);
    // POST /studyshare/shares/{id}/access-code: a new code replaces the old one, shown once.
    ApiResponse ReplaceAccessCode(const std::string& id, const ApiCaller& caller);

    // Share tokens are deterministic for a share, so staff can fetch the link again.
    std::string IssueShareToken(const Share& share) const;
    std::string BuildShareUrl(const std::string& token) const;
    // {PublicUrl}/s/#<key> when the share has a short link that still opens it; empty otherwise.
    std::string ShortUrlOf(const Share& share);

    static ApiResponse Error(int status, const std::string& message);

  private:
    std::optional<Share> LookupVisible(const std::string& id, const ApiCaller& caller);
    void RequireOnePatient(const std::vector<SharedStudy>& studies);
    void RefuseCopies(const std::vector<SharedStudy>& studies);
    // nullopt when the caller may share every one of `studies` (ShareApiLabels.cpp).
    std::optional<ApiResponse> RefuseUnlabelled(const std::vector<SharedStudy>& studies, const ApiCaller& caller);
    // nullopt when the caller may share `label` on this server (ShareApiLabels.cpp).
    std::optional<ApiResponse> RefuseLabel(const std::string& label, const ApiCaller& caller);
    void RefusePixelText(const std::vector<SharedStudy>& studies);
    nlohmann::json Describe(const Share& share, int64_t now) const;
    // The printable access letter of a share just created (ShareApiLetter.cpp):
    // `answer` holds its links and access code.
    nlohmann::json DescribeLetter(const Share& share, const std::vector<SharedStudy>& studies,
                                  const nlohmann::json& answer, const std::string& language) const;
    // When a share locked by failed answers opens again; nullopt when it is not locked.
    std::optional<int64_t> LockedUntil(const Share& share, int64_t now) const;
    // How e-mails name the sender: its DisplayName, else Email.SenderName, else the login.
    std::string SenderName(const std::string& login) const;

    const SharingSettings& config_;
    IShareStore& store_;
    IStudyCatalog& catalog_;
    const TokenSigner& signer_;
    std::function<int64_t()> clock_;
    const ShareMailer* mailer_ = nullptr;
    std::function<void(const std::string&)> onRevoked_;
    IAnonymizationQueue* anonymizer_ = nullptr;
    const StaffDirectory* staff_ = nullptr;
    IStudyLabels* studyLabels_ = nullptr;
    const ShortLinkKeys* shortLinks_ = nullptr;
  };
}
