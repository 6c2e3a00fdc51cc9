// SPDX-License-Identifier: GPL-3.0-or-later
// QrTerminal: draws a QR code in a terminal with Unicode half blocks
// (two modules per character cell), generated locally with libqrencode.
#pragma once

#include <string>

namespace studyshare::cli
{
  // Returns the QR code of `text` as lines of '█', '▀', '▄' and spaces, dark
  // modules drawn as ink. With `ansiColors`, the code is drawn black on white
  // whatever the terminal's colours (for dark terminals); otherwise plain text.
  // Throws std::runtime_error if the text is too long for a QR code.
  std::string RenderQrCode(const std::string& text, bool ansiColors);
}
