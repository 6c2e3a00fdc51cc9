// SPDX-License-Identifier: GPL-3.0-or-later
#include "PasswordPrompt.h"

#include "Commands.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace studyshare::cli
{
  namespace
  {
    // Turns the terminal's echo off for its lifetime. Typed-ahead input is
    // dropped when echo goes off (it was echoed), never when it comes back,
    // so a line typed right after the next prompt is not lost.
    class EchoOff
    {
    public:
      EchoOff()
      {
        if (tcgetattr(STDIN_FILENO, &saved_) == 0)
        {
          termios quiet = saved_;
          quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
          quiet.c_lflag |= ECHONL;
          active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
      }
      ~EchoOff()
      {
        if (active_)
        {
          tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
        }
      }
      EchoOff(const EchoOff&) = delete;
      EchoOff& operator=(const EchoOff&) = delete;

    private:
      termios saved_ = {};
      bool active_ = false;
    };

    std::string ReadLine()
    {
      std::string line;
      if (!std::getline(std::cin, line))
      {
        line.clear();
      }
      if (!line.empty() && line.back() == '\r')
      {
        line.pop_back();
      }
      return line;
    }

    std::string Prompt(const char* question)
    {
      // Echo goes off before the question is shown: whoever answers as soon
      // as it appears must neither be echoed nor flushed away.
      EchoOff quiet;
      std::cerr << question << std::flush;
      return ReadLine();
    }
  }

  std::string ReadPassword()
  {
    if (!isatty(STDIN_FILENO))
    {
      const std::string password = ReadLine();
      if (password.empty())
      {
        throw UsageError("hash-password expects a non-empty password on standard input");
      }
      return password;
    }
    const std::string password = Prompt("Password: ");
    if (password.empty())
    {
      throw UsageError("the password must not be empty");
    }
    if (Prompt("Same password again: ") != password)
    {
      throw UsageError("the two passwords differ; nothing was hashed");
    }
    return password;
  }
}
