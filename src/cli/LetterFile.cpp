// SPDX-License-Identifier: GPL-3.0-or-later
#include "LetterFile.h"

#include "Commands.h"

#include <unistd.h>

#include <fstream>

namespace studyshare::cli
{
  Paper CheckLetterOptions(const LetterOptions& options)
  {
    const std::optional<Paper> paper = ParsePaper(options.paper);
    if (!paper)
    {
      throw UsageError("--paper must be a4 or letter, not '" + options.paper + "'");
    }
    if (options.file.empty())
    {
      return *paper;
    }
    const size_t slash = options.file.rfind('/');
    const std::string folder = slash == std::string::npos ? "." : options.file.substr(0, slash == 0 ? 1 : slash);
    if (::access(folder.c_str(), W_OK) != 0)
    {
      throw UsageError("--letter: cannot write in the folder " + folder);
    }
    return *paper;
  }

  void WriteShareLetter(const ApiClient& api, const nlohmann::json& share, const LetterOptions& options, Paper paper)
  {
    if (!share.contains("Letter"))
    {
      throw std::runtime_error("the server's answer has no letter (is the StudyShare plugin older than this tool?)");
    }
    AccessLetter letter;
    try
    {
      letter = AccessLetter::FromJson(share["Letter"]);
    }
    catch (const std::invalid_argument& e)
    {
      throw std::runtime_error(std::string("the server's letter cannot be read: ") + e.what());
    }
    const std::string logo = letter.hasLogo ? api.GetBytes("/studyshare/letter/logo", "image/png") : "";
    const std::string pdf = RenderLetterPdf(letter, logo, paper);
    std::ofstream out(options.file, std::ios::binary | std::ios::trunc);
    out.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
    out.close();
    if (!out)
    {
      throw std::runtime_error("cannot write the letter to " + options.file);
    }
  }
}
