// SPDX-License-Identifier: GPL-3.0-or-later
// `studyshare create --letter FILE.pdf [--paper a4|letter]`: the access letter
// of the share just created, written as a PDF.
#pragma once

#include "ApiClient.h"
#include "LetterPdf.h"

#include <nlohmann/json.hpp>

#include <string>

namespace studyshare::cli
{
  struct LetterOptions
  {
    std::string file;  // empty: no letter
    std::string paper = "a4";
  };

  // Checked before the share is created (UsageError, exit code 2): the paper
  // is a4 or letter and the file's folder exists and is writable.
  Paper CheckLetterOptions(const LetterOptions& options);

  // Writes the "Letter" of a create answer to options.file, with the
  // server's logo when the letter has one. Throws std::runtime_error.
  void WriteShareLetter(const ApiClient& api, const nlohmann::json& share, const LetterOptions& options, Paper paper);
}
