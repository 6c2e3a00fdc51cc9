// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>
#include <vector>

namespace studyshare
{
  struct EmbeddedText
  {
    std::string_view name;  // file name, e.g. "link.fr.subject.txt"
    std::string_view content;
  };

  // The files of src/core/mail/templates/, compiled in at build time
  // (cmake/EmbedTexts.cmake): {link|code}.{lang}.{subject.txt|txt|html}.
  const std::vector<EmbeddedText>& BuiltInMailTemplateFiles();
}
