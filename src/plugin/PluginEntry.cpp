// SPDX-License-Identifier: GPL-3.0-or-later
// Orthanc's entry points: start the runtime, register the gate and routes.
#include "AdminRoutes.h"
#include "ApiKeyRoutes.h"
#include "ExplorerExtension.h"
#include "ExplorerTokenRoutes.h"
#include "ExplorerTwoEntry.h"
#include "HttpFilter.h"
#include "InboxRoutes.h"
#include "LetterRoutes.h"
#include "OhifRoutes.h"
#include "PluginRuntime.h"
#include "PublicRoutes.h"
#include "QrRoutes.h"
#include "StaffRoutes.h"

#include <orthanc/OrthancCPlugin.h>

namespace
{
  void RegisterRoutes(OrthancPluginContext* context)
  {
    studyshare::plugin::RegisterPublicRoutes(context);
    studyshare::plugin::RegisterInboxRoutes(context);
    studyshare::plugin::RegisterAdminRoutes(context);
    studyshare::plugin::RegisterExplorerTokenRoutes(context);
    studyshare::plugin::RegisterExplorerTwoEntry(context);
    studyshare::plugin::RegisterStaffRoutes(context);
    studyshare::plugin::RegisterQrRoutes(context);
    studyshare::plugin::RegisterLetterRoutes(context);
    studyshare::plugin::RegisterApiKeyRoutes(context);
    studyshare::plugin::RegisterExplorerExtension(context);
    const auto& config = studyshare::plugin::PluginRuntime::Get().Config();
    if (!config.ohifFolder.empty())
    {
      studyshare::plugin::OhifSettings ohif;
      ohif.folder = config.ohifFolder;
      ohif.root = config.ohifRoot;
      ohif.dicomWebRoot = config.grammar.dicomWebRoot;
      while (ohif.dicomWebRoot.size() > 1 && ohif.dicomWebRoot.back() == '/')
      {
        ohif.dicomWebRoot.pop_back();
      }
      studyshare::plugin::RegisterOhifRoutes(context, ohif);
    }
  }

  OrthancPluginErrorCode OnChange(OrthancPluginChangeType change, OrthancPluginResourceType, const char*)
  {
    try
    {
      if (change == OrthancPluginChangeType_OrthancStarted)
      {
        studyshare::plugin::PluginRuntime::Get().StartBackgroundWork();
      }
      else if (change == OrthancPluginChangeType_OrthancStopped)
      {
        studyshare::plugin::PluginRuntime::Get().StopBackgroundWork();
      }
      // Entries of deleted resources are harmless (see CachingResolver) but useless.
      if (change == OrthancPluginChangeType_Deleted)
      {
        studyshare::plugin::PluginRuntime::Get().Resolver().Clear();
      }
    }
    catch (...)
    {
    }
    return OrthancPluginErrorCode_Success;
  }
}

extern "C"
{
  ORTHANC_PLUGINS_API int32_t OrthancPluginInitialize(OrthancPluginContext* context)
  {
    if (OrthancPluginCheckVersion(context) == 0)
    {
      OrthancPluginLogError(context, "StudyShare: this Orthanc is too old for the plugin SDK it was built with");
      return -1;
    }
    try
    {
      studyshare::plugin::PluginRuntime::Start(context);
      OrthancPluginSetDescription(context, "Secure share links for DICOM studies: the gate, the share API and pages.");
      OrthancPluginRegisterIncomingHttpRequestFilter2(context, studyshare::plugin::FilterIncomingRequest);
      OrthancPluginRegisterOnChangeCallback(context, OnChange);
      RegisterRoutes(context);
    }
    catch (const std::exception& e)
    {
      OrthancPluginLogError(context, (std::string("StudyShare refuses to start: ") + e.what()).c_str());
      return -1;
    }
    OrthancPluginLogWarning(context, "StudyShare: the gate is active; every HTTP request is checked");
    return 0;
  }

  ORTHANC_PLUGINS_API void OrthancPluginFinalize()
  {
    studyshare::plugin::PluginRuntime::Stop();
  }

  ORTHANC_PLUGINS_API const char* OrthancPluginGetName()
  {
    return "studyshare";
  }

  ORTHANC_PLUGINS_API const char* OrthancPluginGetVersion()
  {
    return STUDYSHARE_VERSION;
  }
}
