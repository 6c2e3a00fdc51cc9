// SPDX-License-Identifier: GPL-3.0-or-later
// The access letter as a one-page PDF (cairo), for `studyshare create --letter`.
#pragma once

#include "AccessLetter.h"

#include <optional>
#include <string>

namespace studyshare::cli
{
  enum class Paper
  {
    A4,
    Letter
  };

  // "a4" or "letter" (any case); nullopt otherwise.
  std::optional<Paper> ParsePaper(const std::string& name);

  // The PDF bytes of `letter` on one page, with the logo's PNG bytes when not
  // empty. Throws std::runtime_error when the logo cannot be read.
  std::string RenderLetterPdf(const AccessLetter& letter, const std::string& logoPng, Paper paper);
}
