// SPDX-License-Identifier: GPL-3.0-or-later
// studyshare: the command-line tool. This build offers the offline commands
// (hash-password, gen-key); the REST commands come with the CLI issue.
#include "Crypto.h"
#include "KeyRing.h"
#include "PasswordHasher.h"

#include <iostream>
#include <string>

namespace
{
  int Usage(std::ostream& out, int code)
  {
    out << "usage: studyshare COMMAND\n"
           "  hash-password        read a password on standard input, print its Argon2id hash\n"
           "  gen-key [--eddsa]    print a new HS256 secret (or an Ed25519 private key in PEM)\n";
    return code;
  }

  int HashPassword()
  {
    std::string password;
    if (!std::getline(std::cin, password) || password.empty())
    {
      std::cerr << "studyshare: hash-password expects a non-empty password on standard input\n";
      return 2;
    }
    std::cout << studyshare::PasswordHasher::Hash(password) << "\n";
    return 0;
  }

  int GenerateKey(bool eddsa)
  {
    if (eddsa)
    {
      std::cout << studyshare::KeyRing::GenerateEd25519PrivatePem();
    }
    else
    {
      std::cout << studyshare::crypto::RandomId(48) << "\n";
    }
    return 0;
  }
}

int main(int argc, char** argv)
{
  try
  {
    if (argc < 2)
    {
      return Usage(std::cerr, 2);
    }
    const std::string command = argv[1];
    if (command == "hash-password" && argc == 2)
    {
      return HashPassword();
    }
    if (command == "gen-key" && (argc == 2 || (argc == 3 && std::string(argv[2]) == "--eddsa")))
    {
      return GenerateKey(argc == 3);
    }
    if (command == "--help" || command == "-h" || command == "help")
    {
      return Usage(std::cout, 0);
    }
    std::cerr << "studyshare: unknown command or arguments: " << command << "\n";
    return Usage(std::cerr, 2);
  }
  catch (const std::exception& e)
  {
    std::cerr << "studyshare: " << e.what() << "\n";
    return 1;
  }
}
