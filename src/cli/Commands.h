// SPDX-License-Identifier: GPL-3.0-or-later
// Commands: what each `studyshare` subcommand does, once its arguments are
// parsed (main.cpp parses them). Each returns the process exit code.
#pragma once

#include "ApiClient.h"
#include "LetterFile.h"

#include <optional>
#include <string>

namespace studyshare::cli
{
  // Usage errors found after parsing (exit code 2).
  class UsageError : public std::runtime_error
  {
  public:
    explicit UsageError(const std::string& message) : std::runtime_error(message) {}
  };

  struct OutputOptions
  {
    bool json = false;        // print the server's JSON as is
    bool ansiColors = false;  // colours for the QR code (stdout is a terminal)
  };

  // What a share and an inbox ask alike: validity, note and protections.
  struct LinkOptions
  {
    std::optional<long long> days;  // absent: the server's default validity
    std::string password;
    bool accessCode = false;
    std::optional<long long> maxUses;
    std::string note;
  };

  struct CreateOptions : LinkOptions
  {
    std::string study;  // Orthanc ID or StudyInstanceUID
    std::string label;  // or an Orthanc label: the studies carrying it (Orthanc >= 1.12)
    bool download = false;
    bool requireBirthDate = false;
    bool anonymize = false;
    bool allowBurnedInAnnotation = false;
    LetterOptions letter;
  };

  struct ListOptions
  {
    bool activeOnly = false;
    std::string study;
  };

  // "OrthancId", "DicomUid", or throws UsageError.
  std::string StudyIdKind(const std::string& id);

  // Writes the LinkOptions into a POST /studyshare/shares body (the server's
  // default validity when no days are given).
  void AddLinkFields(const ApiClient& api, const LinkOptions& options, nlohmann::json& body);

  int CreateShare(const ApiClient& api, const CreateOptions& options, const OutputOptions& output);
  int ListShares(const ApiClient& api, const ListOptions& options, const OutputOptions& output);
  int ShowShare(const ApiClient& api, const std::string& id, const OutputOptions& output);
  int RevokeShare(const ApiClient& api, const std::string& id, const OutputOptions& output);
  int AuditShare(const ApiClient& api, const std::string& id, const OutputOptions& output);

  int HashPassword();
  int GenerateKey(bool eddsa);
}
