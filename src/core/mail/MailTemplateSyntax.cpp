// SPDX-License-Identifier: GPL-3.0-or-later
// The template language of the e-mails: {{Name}}, {{#Name}}...{{/Name}},
// {{^Name}}...{{/Name}}, and how values are escaped in each part.
#include "MailTemplates.h"

#include "TextUtilities.h"

#include <algorithm>
#include <stdexcept>

namespace studyshare
{
  namespace
  {
    // Reads a placeholder tag at `at` ("{{" already seen); returns the tag
    // content and moves `at` past "}}".
    std::string ReadTag(std::string_view text, size_t& at)
    {
      const size_t close = text.find("}}", at + 2);
      if (close == std::string_view::npos)
      {
        throw std::invalid_argument("unclosed '{{' in a mail template");
      }
      std::string tag(text.substr(at + 2, close - at - 2));
      at = close + 2;
      return tag;
    }

    bool IsKnownName(const std::string& name)
    {
      const auto& names = MailTemplates::PlaceholderNames();
      return std::find(names.begin(), names.end(), name) != names.end();
    }

    std::string EscapeValue(const std::string& value, MailTemplates::Escaping escaping)
    {
      switch (escaping)
      {
        case MailTemplates::Escaping::Html:
        {
          std::string escaped = HtmlEscape(value);
          std::string out;
          for (char c : escaped)
          {
            if (c == '\n')
            {
              out += "<br>\n";
            }
            else if (c != '\r')
            {
              out += c;
            }
          }
          return out;
        }
        case MailTemplates::Escaping::HeaderLine:
        {
          std::string out;
          for (char c : value)
          {
            out += (c == '\r' || c == '\n' || c == '\t' || c == '\0') ? ' ' : c;
          }
          return out;
        }
        default:
          return value;
      }
    }

    // Recursive expansion of text[at..) up to the closing tag of `section`
    // (empty at top level).
    void ExpandInto(std::string_view text, size_t& at, const MailValues& values, MailTemplates::Escaping escaping,
                    const std::string& section, bool emit, std::string& out)
    {
      while (at < text.size())
      {
        const size_t open = text.find("{{", at);
        if (open == std::string_view::npos)
        {
          if (emit)
          {
            out.append(text.substr(at));
          }
          at = text.size();
          break;
        }
        if (emit)
        {
          out.append(text.substr(at, open - at));
        }
        at = open;
        const std::string tag = ReadTag(text, at);
        const std::string name = Trim(tag.empty()                                         ? tag
                                      : (tag[0] == '#' || tag[0] == '^' || tag[0] == '/') ? tag.substr(1)
                                                                                          : tag);
        if (!IsKnownName(name))
        {
          throw std::invalid_argument("unknown placeholder '{{" + tag + "}}' in a mail template");
        }
        const auto found = values.find(name);
        const std::string value = found == values.end() ? "" : found->second;
        if (tag[0] == '/')
        {
          if (name != section)
          {
            throw std::invalid_argument("unexpected '{{" + tag + "}}' in a mail template");
          }
          return;
        }
        if (tag[0] == '#' || tag[0] == '^')
        {
          const bool keep = tag[0] == '#' ? !value.empty() : value.empty();
          ExpandInto(text, at, values, escaping, name, emit && keep, out);
          continue;
        }
        if (emit)
        {
          out += EscapeValue(value, escaping);
        }
      }
      if (!section.empty())
      {
        throw std::invalid_argument("section '{{#" + section + "}}' is not closed in a mail template");
      }
    }
  }

  std::string HtmlEscape(std::string_view text)
  {
    std::string out;
    out.reserve(text.size());
    for (char c : text)
    {
      switch (c)
      {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          out += c;
      }
    }
    return out;
  }

  std::string MailTemplates::Expand(std::string_view text, const MailValues& values, Escaping escaping)
  {
    std::string out;
    size_t at = 0;
    ExpandInto(text, at, values, escaping, "", true, out);
    return out;
  }

  void MailTemplates::Validate(std::string_view text)
  {
    Expand(text, {}, Escaping::None);
  }
}
