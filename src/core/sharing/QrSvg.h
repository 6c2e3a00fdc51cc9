// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // Renders `text` as a QR code (byte mode, error correction level M) in a
  // self-contained SVG document: one path of dark modules on a white
  // background with the standard 4-module quiet zone. Generated locally with
  // libqrencode; nothing leaves the machine. Throws std::runtime_error when the
  // text cannot be encoded (too long for a QR code, out of memory).
  std::string RenderQrSvg(const std::string& text, int moduleSize = 4);
}
