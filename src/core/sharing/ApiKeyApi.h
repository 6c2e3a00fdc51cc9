// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "ShareApi.h"
#include "StaffApiKeys.h"

#include <string>

namespace studyshare
{
  // The staff REST API on API keys (/studyshare/api-keys...), admins only:
  //   POST {"Name", "Role": "admin"|"sharer", "ValidityDuration": seconds (absent or 0: never)}
  //     → 201 {"ID", "Name", "Role", "Key", "CreatedDate", "ExpirationDate"}; the key is never shown again
  //   GET → [{"ID", "Name", "Role", "CreatedBy", "CreatedDate", "LastUsedDate", "ExpirationDate", "State"}]
  //   DELETE /{id} → 200 {"ID", "State": "revoked"}; the key stops working at once
  class ApiKeyApi
  {
  public:
    explicit ApiKeyApi(StaffApiKeys& keys, std::function<int64_t()> clock) : keys_(keys), clock_(std::move(clock)) {}

    ApiResponse Create(const std::string& body, const ApiCaller& caller);
    ApiResponse List(const ApiCaller& caller);
    ApiResponse Revoke(const std::string& id, const ApiCaller& caller);

  private:
    StaffApiKeys& keys_;
    std::function<int64_t()> clock_;
  };
}
