// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExplorerTokenApi.h"

#include "StaffLabelRules.h"
#include "StudyResolution.h"

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    ApiResponse ExplorerError(int status, const std::string& message)
    {
      return {status, {{"Error", status == 400 ? "bad-request" : "token-service"}, {"Message", message}}};
    }

    std::string TextOf(const Json& object, const char* key)
    {
      return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
    }

    // StudyShare's service says "message", the Python service "detail".
    std::string ServiceMessage(const Json& answer)
    {
      const std::string message = TextOf(answer, "message");
      return message.empty() ? TextOf(answer, "detail") : message;
    }
  }

  ExplorerTokenApi::ExplorerTokenApi(AuthTokenService* local, ITokenServiceTransport* remote, IStudyCatalog& catalog,
                                     size_t maxStudies, std::function<int64_t()> clock)
    : local_(local), remote_(remote), catalog_(catalog), maxStudies_(maxStudies), clock_(std::move(clock))
  {
  }

  ExplorerTokenApi::ServiceCall ExplorerTokenApi::Call(const std::string& method, const std::string& path,
                                                       const std::string& body,
                                                       const std::function<ApiResponse()>& local)
  {
    if (local_ != nullptr)
    {
      return {true, local()};
    }
    const TransportReply reply = remote_->Send(method, path, body);
    if (!reply.reached)
    {
      return {false, ExplorerError(503, "the token service cannot be reached")};
    }
    Json answer = Json::parse(reply.body, nullptr, false);
    if (answer.is_discarded() || !answer.is_object())
    {
      return {false, ExplorerError(502, "the token service answered something that is not JSON")};
    }
    return {true, {static_cast<int>(reply.status), answer}};
  }

  ApiResponse ExplorerTokenApi::Create(const std::string& pathType, const std::string& body,
                                       const AuthTokenService::Caller& caller)
  {
    std::string wireBody;
    try
    {
      TokenCreation creation = TokenCreation::ParseExplorer(pathType, body, clock_());
      std::vector<RequestedStudy> requested;
      for (const WireResource& resource : creation.resources)
      {
        requested.push_back({resource.orthancId.empty() ? std::nullopt : std::optional(resource.orthancId),
                             resource.dicomUid.empty() ? std::nullopt : std::optional(resource.dicomUid)});
      }
      const std::vector<SharedStudy> studies = ResolveSharedStudies(catalog_, requested, maxStudies_, false);
      if (staff_ != nullptr)
      {
        std::vector<std::string> ids;
        for (const SharedStudy& study : studies)
        {
          ids.push_back(study.orthancId);
        }
        if (const auto refusal = RefuseUnlabelledStudies(*staff_, studyLabels_, caller.name, ids))
        {
          return ExplorerError(refusal->status, refusal->message);
        }
      }
      for (size_t i = 0; i < studies.size(); i++)
      {
        creation.resources[i].orthancId = studies[i].orthancId;
        creation.resources[i].dicomUid = studies[i].dicomUid;
        // Orthanc Explorer 2 names the study only: its details come from Orthanc.
        creation.resources[i].patientName = studies[i].patientName;
        creation.resources[i].patientId = studies[i].patientId;
        creation.resources[i].studyDate = studies[i].studyDate;
        creation.resources[i].studyDescription = studies[i].studyDescription;
      }
      Json wire = creation.ToWire();
      wire["created-by"] = caller.name;
      wireBody = wire.dump();
    }
    catch (const BadRequest& e)
    {
      return ExplorerError(400, e.what());
    }
    catch (const CatalogUnavailable& e)
    {
      return ExplorerError(503, std::string("the study database cannot be read: ") + e.what());
    }
    const ServiceCall call =
      Call("PUT", "/tokens/" + pathType, wireBody, [&] { return local_->CreateToken(pathType, wireBody, caller); });
    if (!call.answered)
    {
      return call.response;
    }
    const ApiResponse& answer = call.response;
    if (answer.status != 200)
    {
      const std::string message = ServiceMessage(answer.body);
      return ExplorerError(answer.status == 400 ? 400 : 502,
                           message.empty() ? "the token service refused to create the token" : message);
    }
    if (!answer.body.contains("token") || !answer.body["token"].is_string())
    {
      return ExplorerError(502, "the token service answered without a token");
    }
    const Json& url = answer.body.contains("url") ? answer.body["url"] : Json();
    return {200, {{"Token", answer.body["token"]}, {"Url", url.is_string() ? url : Json()}}};
  }

  ApiResponse ExplorerTokenApi::Decode(const std::string& body)
  {
    std::string wireBody;
    try
    {
      const DecodeQuery query = DecodeQuery::ParseExplorer(body);
      wireBody = Json({{"token-key", query.tokenKey}, {"token-value", query.tokenValue}}).dump();
    }
    catch (const BadRequest& e)
    {
      return ExplorerError(400, e.what());
    }
    const ServiceCall call = Call("POST", "/tokens/decode", wireBody, [&] { return local_->Decode(wireBody); });
    if (!call.answered)
    {
      return call.response;
    }
    const ApiResponse& answer = call.response;
    if (answer.status != 200)
    {
      const std::string message = ServiceMessage(answer.body);
      return ExplorerError(502, message.empty() ? "the token service could not decode the token" : message);
    }
    Json decoded = {{"ResourcesDicomIds", Json::array()}, {"ResourcesOrthancIds", Json::array()}};
    for (const auto& [wire, explorer] : {std::pair{"redirect-url", "RedirectUrl"}, std::pair{"error-code", "ErrorCode"},
                                         std::pair{"token-type", "TokenType"}})
    {
      const std::string value = TextOf(answer.body, wire);
      if (!value.empty())
      {
        decoded[explorer] = value;
      }
    }
    if (answer.body.contains("resources") && answer.body["resources"].is_array())
    {
      for (const Json& resource : answer.body["resources"])
      {
        if (!resource.is_object())
        {
          continue;
        }
        if (!TextOf(resource, "dicom-uid").empty())
        {
          decoded["ResourcesDicomIds"].push_back(TextOf(resource, "dicom-uid"));
        }
        if (!TextOf(resource, "orthanc-id").empty())
        {
          decoded["ResourcesOrthancIds"].push_back(TextOf(resource, "orthanc-id"));
        }
      }
    }
    return {200, decoded};
  }
}
