// SPDX-License-Identifier: GPL-3.0-or-later
#include "QrSvg.h"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace studyshare
{
  namespace
  {
    constexpr int kQuietZone = 4;  // modules of white border the QR specification asks for

    struct QrCodeDeleter
    {
      void operator()(QRcode* code) const { QRcode_free(code); }
    };
  }

  std::string RenderQrSvg(const std::string& text, int moduleSize)
  {
    if (moduleSize < 1 || moduleSize > 64)
    {
      throw std::invalid_argument("QR module size must be between 1 and 64");
    }
    // 8-bit mode: the bytes are encoded as they are (a URL with a long token
    // would not fit in alphanumeric mode, which is upper case only).
    std::unique_ptr<QRcode, QrCodeDeleter> code(QRcode_encodeData(
      static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
    if (!code)
    {
      throw std::runtime_error("the text cannot be encoded as a QR code (too long?)");
    }
    const int width = code->width;
    const int side = (width + 2 * kQuietZone) * moduleSize;
    std::string path;
    path.reserve(static_cast<size_t>(width) * static_cast<size_t>(width) * 4);
    for (int y = 0; y < width; y++)
    {
      int x = 0;
      while (x < width)
      {
        if ((code->data[y * width + x] & 1) == 0)
        {
          x++;
          continue;
        }
        // A horizontal run of dark modules becomes one rectangle.
        int run = 1;
        while (x + run < width && (code->data[y * width + x + run] & 1) != 0)
        {
          run++;
        }
        path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
                std::to_string(run) + "v1h-" + std::to_string(run) + "z";
        x += run;
      }
    }
    const std::string viewBox = std::to_string(width + 2 * kQuietZone);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
           std::to_string(side) + "\" height=\"" + std::to_string(side) + "\" viewBox=\"0 0 " + viewBox + " " +
           viewBox +
           "\" shape-rendering=\"crispEdges\">"
           "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
           "<path fill=\"#000\" d=\"" +
           path + "\"/></svg>\n";
  }
}
