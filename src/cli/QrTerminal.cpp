// SPDX-License-Identifier: GPL-3.0-or-later
#include "QrTerminal.h"

#include <qrencode.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace studyshare::cli
{
  namespace
  {
    constexpr int kQuietZone = 2;  // modules of blank margin around the code

    // A square grid of modules, quiet zone included.
    class ModuleGrid
    {
    public:
      explicit ModuleGrid(const QRcode& code) : size_(code.width + 2 * kQuietZone), dark_(size_ * size_, false)
      {
        for (int y = 0; y < code.width; ++y)
        {
          for (int x = 0; x < code.width; ++x)
          {
            // libqrencode: bit 0 of each byte is the module's colour (1 = dark).
            dark_[(y + kQuietZone) * size_ + x + kQuietZone] = (code.data[y * code.width + x] & 1) != 0;
          }
        }
      }

      int Size() const { return size_; }

      bool Dark(int x, int y) const { return x >= 0 && y >= 0 && x < size_ && y < size_ && dark_[y * size_ + x]; }

    private:
      int size_;
      std::vector<bool> dark_;
    };
  }

  std::string RenderQrCode(const std::string& text, bool ansiColors)
  {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_L),
                                                         QRcode_free);
    if (!code)
    {
      throw std::runtime_error("cannot draw this link as a QR code (too long?)");
    }
    const ModuleGrid grid(*code);
    // Black ink on a white background, so that dark terminals show it right.
    const std::string lineStart = ansiColors ? "\x1b[30;107m" : "";
    const std::string lineEnd = ansiColors ? "\x1b[0m\n" : "\n";

    std::string out;
    for (int y = 0; y < grid.Size(); y += 2)
    {
      out += lineStart;
      for (int x = 0; x < grid.Size(); ++x)
      {
        const bool top = grid.Dark(x, y);
        const bool bottom = grid.Dark(x, y + 1);
        if (top && bottom)
        {
          out += "\u2588";  // █
        }
        else if (top)
        {
          out += "\u2580";  // ▀
        }
        else if (bottom)
        {
          out += "\u2584";  // ▄
        }
        else
        {
          out += ' ';
        }
      }
      out += lineEnd;
    }
    return out;
  }
}
