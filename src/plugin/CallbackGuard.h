// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareStore.h"
#include "PluginRuntime.h"
#include "RestAnswer.h"

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // The one place where exceptions from a REST callback become HTTP answers:
  // no exception ever crosses the extern "C" boundary into Orthanc.
  template <typename Handler>
  OrthancPluginErrorCode GuardRestCallback(OrthancPluginRestOutput* output, Handler&& handler) noexcept
  {
    try
    {
      handler();
      return OrthancPluginErrorCode_Success;
    }
    catch (const StoreUnavailable& e)
    {
      try
      {
        PluginRuntime::Get().Orthanc().LogError(std::string("share store unavailable: ") + e.what());
        AnswerJson(output, 503, {{"Error", "store-unavailable"}, {"Message", "the share store is unavailable"}});
        return OrthancPluginErrorCode_Success;
      }
      catch (...)
      {
        return OrthancPluginErrorCode_InternalError;
      }
    }
    catch (const std::exception& e)
    {
      try
      {
        PluginRuntime::Get().Orthanc().LogError(std::string("internal error: ") + e.what());
        AnswerJson(output, 500, {{"Error", "internal"}, {"Message", "internal error, see the Orthanc log"}});
        return OrthancPluginErrorCode_Success;
      }
      catch (...)
      {
        return OrthancPluginErrorCode_InternalError;
      }
    }
    catch (...)
    {
      return OrthancPluginErrorCode_InternalError;
    }
  }
}
