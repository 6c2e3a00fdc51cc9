// SPDX-License-Identifier: GPL-3.0-or-later
#include "LetterPdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <qrencode.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <vector>

namespace studyshare::cli
{
  namespace
  {
    constexpr double kMargin = 56.0;   // points: 2 cm
    constexpr double kQrSize = 144.0;  // about 51 mm: a phone reads it from arm's length
    constexpr int kQrQuietZone = 4;    // modules of white around the code, as the standard asks

    struct Font
    {
      const char* family;
      double size;
      bool bold;
      double gray;  // 0: black
    };

    // DejaVu (Debian's fonts-dejavu-core) covers every letter of the four languages.
    const Font kHospital = {"DejaVu Sans", 16, true, 0};
    const Font kTitle = {"DejaVu Sans", 20, true, 0};
    const Font kHeading = {"DejaVu Sans", 12.5, true, 0};
    const Font kBody = {"DejaVu Sans", 11, false, 0};
    const Font kStrong = {"DejaVu Sans", 11.5, true, 0};
    const Font kLink = {"DejaVu Sans Mono", 10.5, true, 0};
    const Font kCode = {"DejaVu Sans Mono", 17, true, 0};
    const Font kSmall = {"DejaVu Sans", 9, false, 0.35};

    bool IsContinuationByte(char c)
    {
      return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
    }

    // Text laid out on the page from the top down, wrapped to a width.
    class Page
    {
    public:
      explicit Page(cairo_t* cairo) : cairo_(cairo) {}

      // Draws `text` in [x, x + width] starting at `top`; returns the y below it.
      double Text(const std::string& text, const Font& font, double x, double top, double width)
      {
        Use(font);
        cairo_font_extents_t extents;
        cairo_font_extents(cairo_, &extents);
        const double lineHeight = font.size * 1.35;
        double y = top;
        size_t start = 0;
        while (start <= text.size())
        {
          const size_t end = std::min(text.find('\n', start), text.size());
          for (const std::string& line : Wrap(text.substr(start, end - start), width))
          {
            cairo_move_to(cairo_, x, y + extents.ascent);
            cairo_show_text(cairo_, line.c_str());
            y += lineHeight;
          }
          start = end + 1;
        }
        return y;
      }

    private:
      void Use(const Font& font)
      {
        cairo_select_font_face(cairo_, font.family, CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cairo_, font.size);
        cairo_set_source_rgb(cairo_, font.gray, font.gray, font.gray);
      }

      double Advance(const std::string& text)
      {
        cairo_text_extents_t extents;
        cairo_text_extents(cairo_, text.c_str(), &extents);
        return extents.x_advance;
      }

      // Lines of whole words; a word wider than the line (a link) is cut
      // between characters, never inside one.
      std::vector<std::string> Wrap(const std::string& paragraph, double width)
      {
        std::vector<std::string> lines;
        std::string line;
        size_t start = 0;
        while (start < paragraph.size())
        {
          const size_t end = std::min(paragraph.find(' ', start), paragraph.size());
          std::string word = paragraph.substr(start, end - start);
          start = end + 1;
          const std::string candidate = line.empty() ? word : line + " " + word;
          if (Advance(candidate) <= width)
          {
            line = candidate;
            continue;
          }
          if (!line.empty())
          {
            lines.push_back(line);
            line.clear();
          }
          while (Advance(word) > width)
          {
            size_t cut = word.size();
            do
            {
              do
              {
                --cut;
              } while (cut > 0 && IsContinuationByte(word[cut]));
            } while (cut > 1 && Advance(word.substr(0, cut)) > width);
            cut = std::max<size_t>(cut, 1);
            lines.push_back(word.substr(0, cut));
            word.erase(0, cut);
          }
          line = word;
        }
        if (!line.empty() || lines.empty())
        {
          lines.push_back(line);
        }
        return lines;
      }

      cairo_t* cairo_;
    };

    // Dark modules drawn as horizontal runs: fewer seams when the PDF is rasterized.
    void DrawQr(cairo_t* cairo, const std::string& link, double x, double y)
    {
      std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(link.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
      if (!code)
      {
        throw std::runtime_error("cannot encode the link as a QR code");
      }
      const int width = code->width;
      const double module = kQrSize / (width + 2 * kQrQuietZone);
      cairo_set_source_rgb(cairo, 0, 0, 0);
      for (int row = 0; row < width; ++row)
      {
        int column = 0;
        while (column < width)
        {
          // libqrencode: bit 0 of each byte is the module's colour (1 = dark).
          if ((code->data[row * width + column] & 1) == 0)
          {
            ++column;
            continue;
          }
          const int runStart = column;
          while (column < width && (code->data[row * width + column] & 1) != 0)
          {
            ++column;
          }
          cairo_rectangle(cairo, x + (runStart + kQrQuietZone) * module, y + (row + kQrQuietZone) * module,
                          (column - runStart) * module, module);
        }
      }
      cairo_fill(cairo);
    }

    struct PngSource
    {
      const std::string& bytes;
      size_t at = 0;
    };

    cairo_status_t ReadPng(void* closure, unsigned char* data, unsigned int length)
    {
      PngSource& source = *static_cast<PngSource*>(closure);
      if (source.bytes.size() - source.at < length)
      {
        return CAIRO_STATUS_READ_ERROR;
      }
      std::copy_n(source.bytes.data() + source.at, length, data);
      source.at += length;
      return CAIRO_STATUS_SUCCESS;
    }

    using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

    Surface LoadPng(const std::string& png)
    {
      PngSource source{png};
      Surface image(cairo_image_surface_create_from_png_stream(ReadPng, &source), cairo_surface_destroy);
      if (cairo_surface_status(image.get()) != CAIRO_STATUS_SUCCESS)
      {
        throw std::runtime_error("the server's letter logo is not a readable PNG image");
      }
      return image;
    }

    // Draws the logo within maxWidth × maxHeight at (x, y); returns its drawn width and height.
    std::pair<double, double> DrawLogo(cairo_t* cairo, cairo_surface_t* image, double x, double y, double maxWidth,
                                       double maxHeight)
    {
      const double width = cairo_image_surface_get_width(image);
      const double height = cairo_image_surface_get_height(image);
      const double scale = std::min(maxWidth / width, maxHeight / height);
      cairo_save(cairo);
      cairo_translate(cairo, x, y);
      cairo_scale(cairo, scale, scale);
      cairo_set_source_surface(cairo, image, 0, 0);
      cairo_paint(cairo);
      cairo_restore(cairo);
      return {width * scale, height * scale};
    }

    cairo_status_t AppendPdf(void* closure, const unsigned char* data, unsigned int length)
    {
      static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
      return CAIRO_STATUS_SUCCESS;
    }

    void DrawLetter(cairo_t* cairo, const AccessLetter& letter, cairo_surface_t* logo, double pageWidth)
    {
      Page page(cairo);
      const double width = pageWidth - 2 * kMargin;
      double y = kMargin;

      // Letterhead: logo, then the hospital's name beside it.
      double nameX = kMargin;
      double headerBottom = y;
      if (logo != nullptr)
      {
        const auto [logoWidth, logoHeight] = DrawLogo(cairo, logo, kMargin, y, 170, 56);
        nameX += logoWidth + 14;
        headerBottom = y + logoHeight;
      }
      if (!letter.hospitalName.empty())
      {
        headerBottom =
          std::max(headerBottom, page.Text(letter.hospitalName, kHospital, nameX, y + 4, width - (nameX - kMargin)));
      }
      if (headerBottom > y)
      {
        y = headerBottom + 10;
        cairo_set_source_rgb(cairo, 0.6, 0.6, 0.6);
        cairo_set_line_width(cairo, 0.8);
        cairo_move_to(cairo, kMargin, y);
        cairo_line_to(cairo, kMargin + width, y);
        cairo_stroke(cairo);
        y += 18;
      }

      y = page.Text(letter.title, kTitle, kMargin, y, width) + 6;
      y = page.Text(letter.intro, kBody, kMargin, y, width) + 14;
      if (!letter.studies.empty())
      {
        y = page.Text(letter.studyHeading, kHeading, kMargin, y, width) + 2;
        for (const std::string& study : letter.studies)
        {
          y = page.Text(study, kBody, kMargin, y, width);
        }
        y += 14;
      }

      // How to open: the QR code, and beside it what to type.
      y = page.Text(letter.openHeading, kHeading, kMargin, y, width) + 4;
      DrawQr(cairo, letter.qrLink, kMargin, y);
      const double columnX = kMargin + kQrSize + 18;
      const double columnWidth = width - kQrSize - 18;
      double column = page.Text(letter.qrText, kBody, columnX, y + 12, columnWidth) + 10;
      if (!letter.typedLink.empty())
      {
        column = page.Text(letter.typeText, kBody, columnX, column, columnWidth) + 2;
        column = page.Text(letter.typedLink, kLink, columnX, column, columnWidth) + 12;
      }
      if (!letter.accessCode.empty())
      {
        column = page.Text(letter.codeText, kBody, columnX, column, columnWidth) + 2;
        column = page.Text(letter.accessCode, kCode, columnX, column, columnWidth) + 6;
      }
      y = std::max(y + kQrSize, column) + 8;
      if (!letter.codePageText.empty())
      {
        y = page.Text(letter.codePageText, kBody, kMargin, y, width) + 4;
      }
      for (const std::string& check : letter.checks)
      {
        y = page.Text(check, kBody, kMargin, y, width) + 2;
      }
      y = page.Text(letter.validity, kStrong, kMargin, y + 10, width) + 16;

      if (!letter.contact.empty())
      {
        y = page.Text(letter.contactHeading, kHeading, kMargin, y, width) + 2;
        y = page.Text(letter.contact, kBody, kMargin, y, width) + 16;
      }
      page.Text(letter.privacy, kSmall, kMargin, y, width);
    }
  }

  std::optional<Paper> ParsePaper(const std::string& name)
  {
    std::string lowered = name;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lowered == "a4")
    {
      return Paper::A4;
    }
    if (lowered == "letter")
    {
      return Paper::Letter;
    }
    return std::nullopt;
  }

  std::string RenderLetterPdf(const AccessLetter& letter, const std::string& logoPng, Paper paper)
  {
    // Read before drawing: a broken logo stops the letter, not half of it.
    Surface logo = logoPng.empty() ? Surface(nullptr, cairo_surface_destroy) : LoadPng(logoPng);
    // Points (1/72 inch): ISO A4 is 210 × 297 mm, US Letter 8.5 × 11 in.
    const double pageWidth = paper == Paper::A4 ? 595.276 : 612.0;
    const double pageHeight = paper == Paper::A4 ? 841.89 : 792.0;
    std::string pdf;
    Surface surface(cairo_pdf_surface_create_for_stream(AppendPdf, &pdf, pageWidth, pageHeight), cairo_surface_destroy);
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cairo(cairo_create(surface.get()), cairo_destroy);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, letter.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "StudyShare");
    DrawLetter(cairo.get(), letter, logo.get(), pageWidth);
    cairo_show_page(cairo.get());
    cairo.reset();
    cairo_surface_finish(surface.get());
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    {
      throw std::runtime_error(std::string("cannot draw the letter: ") +
                               cairo_status_to_string(cairo_surface_status(surface.get())));
    }
    return pdf;
  }
}
