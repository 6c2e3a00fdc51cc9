// SPDX-License-Identifier: GPL-3.0-or-later
#include "Base64Url.h"
#include "HashSlots.h"
#include "PasswordHasher.h"
#include "StaffDirectory.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

using namespace studyshare;

namespace
{
  std::string Basic(const std::string& user, const std::string& password)
  {
    std::string encoded = Base64UrlEncode(user + ":" + password);
    for (char& c : encoded)
    {
      c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    encoded.append((4 - encoded.size() % 4) % 4, '=');
    return "Basic " + encoded;
  }

  void WaitUntil(const std::function<bool()>& condition)
  {
    while (!condition())
    {
      std::this_thread::yield();
    }
  }

  const std::string& SamHash()
  {
    static const std::string hash = PasswordHasher::Hash("sam-pw");
    return hash;
  }

  // Takes every slot of the process's hashes and fills their queue for a
  // scope: a check that needs an Argon2id computation then answers Busy at
  // once instead of running one.
  class AllSlotsTaken
  {
  public:
    AllSlotsTaken()
    {
      HashSlots& slots = HashSlots::Process();
      while (slots.Running() < slots.Concurrent())
      {
        slots.Acquire();
        held_++;
      }
      for (size_t i = 0; i < slots.MaxWaiting(); i++)
      {
        waiters_.emplace_back(
          [&slots]
          {
            slots.Acquire();
            slots.Release();
          });
      }
      WaitUntil([&slots] { return slots.Waiting() >= slots.MaxWaiting(); });
    }
    ~AllSlotsTaken()
    {
      for (int i = 0; i < held_; i++)
      {
        HashSlots::Process().Release();
      }
      for (std::thread& waiter : waiters_)
      {
        waiter.join();
      }
    }

  private:
    int held_ = 0;
    std::vector<std::thread> waiters_;
  };

  struct World
  {
    int64_t now = 1000;
    StaffDirectory staff{[this] { return now; }};

    explicit World(StaffSignInLimits limits = {})
    {
      staff.SetSignInLimits(limits);
      staff.AddPlainUser("orthanc", "orthanc-pw", StaffRole::Admin);
    }
  };
}

TEST(StaffSignInTests, BasicAndLoginShareThePerClientLimit)
{
  World world({60, 3, 100});
  for (int i = 0; i < 2; i++)
  {
    EXPECT_EQ(StaffRefusal::WrongCredentials, world.staff.CheckBasic(Basic("orthanc", "guess"), "192.0.2.7").refusal);
  }
  EXPECT_EQ(StaffRefusal::WrongCredentials, world.staff.Check("orthanc", "guess", "192.0.2.7").refusal);
  // The right password does not get through the limit, by either entrance.
  EXPECT_EQ(StaffRefusal::RateLimited, world.staff.CheckBasic(Basic("orthanc", "orthanc-pw"), "192.0.2.7").refusal);
  EXPECT_EQ(StaffRefusal::RateLimited, world.staff.Check("orthanc", "orthanc-pw", "192.0.2.7").refusal);
  EXPECT_EQ(StaffRefusal::None, world.staff.CheckBasic(Basic("orthanc", "orthanc-pw"), "192.0.2.8").refusal)
    << "another client is not refused";
  world.now += 61;
  EXPECT_EQ("orthanc", world.staff.CheckBasic(Basic("orthanc", "orthanc-pw"), "192.0.2.7").user->name);
}

TEST(StaffSignInTests, PerUserLimitHoldsAcrossClients)
{
  World world({60, 100, 3});
  for (const char* client : {"192.0.2.1", "192.0.2.2", "192.0.2.3"})
  {
    EXPECT_EQ(StaffRefusal::WrongCredentials, world.staff.CheckBasic(Basic("orthanc", "guess"), client).refusal);
  }
  EXPECT_EQ(StaffRefusal::RateLimited, world.staff.CheckBasic(Basic("orthanc", "orthanc-pw"), "192.0.2.4").refusal);
  EXPECT_EQ(StaffRefusal::RateLimited, world.staff.Check("orthanc", "orthanc-pw", "").refusal)
    << "nor without an address";
  EXPECT_TRUE(world.staff.Authenticate("orthanc", "orthanc-pw").has_value()) << "the unlimited entrance";
}

TEST(StaffSignInTests, SuccessesDoNotCountAgainstTheLimit)
{
  World world({60, 2, 2});
  for (int i = 0; i < 50; i++)
  {
    ASSERT_EQ(StaffRefusal::None, world.staff.CheckBasic(Basic("orthanc", "orthanc-pw"), "192.0.2.7").refusal) << i;
  }
}

TEST(StaffSignInTests, TheLimitHoldsExactlyUnderParallelGuesses)
{
  World world({60, 5, 100});
  world.staff.AddHashedUser("sam", SamHash(), StaffRole::Sharer);
  std::atomic<int> wrong{0};
  std::atomic<int> limited{0};
  std::atomic<int> granted{0};
  std::atomic<int> busy{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; i++)
  {
    threads.emplace_back(
      [&, i]
      {
        // The right password is somewhere in the burst; it must not get in past the limit.
        const StaffCheck check = world.staff.Check("sam", i == 30 ? "sam-pw" : "guess", "192.0.2.7");
        if (check.user)
        {
          granted++;
        }
        else if (check.refusal == StaffRefusal::RateLimited)
        {
          limited++;
        }
        else if (check.refusal == StaffRefusal::WrongCredentials)
        {
          wrong++;
        }
        else if (check.refusal == StaffRefusal::Busy)
        {
          busy++;
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_LE(wrong.load() + granted.load(), 5) << "no more checks than the limit";
  // A loaded machine can make a waiting hash give up (Busy): that checks nothing, so it never widens the limit.
  EXPECT_EQ(40, wrong.load() + granted.load() + limited.load() + busy.load()) << "every answer is a refusal or a check";
}

TEST(StaffSignInTests, UnknownAndPlainUsersCostAHashWhenStudyShareUsersExist)
{
  World world;
  {
    const AllSlotsTaken taken;
    EXPECT_EQ(StaffRefusal::WrongCredentials, world.staff.Check("nobody", "x", "192.0.2.7").refusal)
      << "without hashed users nothing is hashed";
  }
  world.staff.AddHashedUser("sam", SamHash(), StaffRole::Sharer);
  EXPECT_EQ(StaffRefusal::WrongCredentials, world.staff.Check("nobody", "x", "192.0.2.7").refusal);
  const AllSlotsTaken taken;
  // Busy proves a hash was about to run, as for an existing StudyShare user.
  EXPECT_EQ(StaffRefusal::Busy, world.staff.Check("sam", "x", "192.0.2.7").refusal);
  EXPECT_EQ(StaffRefusal::Busy, world.staff.Check("nobody", "x", "192.0.2.7").refusal);
  EXPECT_EQ(StaffRefusal::Busy, world.staff.Check("orthanc", "wrong", "192.0.2.7").refusal);
  EXPECT_EQ(StaffRefusal::None, world.staff.Check("orthanc", "orthanc-pw", "192.0.2.7").refusal)
    << "a right plain password needs no hash";
}

TEST(StaffSignInTests, BusyIsNotHeldAgainstTheCaller)
{
  World world({60, 2, 2});
  world.staff.AddHashedUser("sam", SamHash(), StaffRole::Sharer);
  {
    const AllSlotsTaken taken;
    for (int i = 0; i < 5; i++)
    {
      EXPECT_EQ(StaffRefusal::Busy, world.staff.Check("sam", "sam-pw", "192.0.2.7").refusal);
    }
  }
  EXPECT_EQ(StaffRefusal::None, world.staff.Check("sam", "sam-pw", "192.0.2.7").refusal);
}

TEST(StaffSignInTests, ASuccessIsRememberedUntilTheAccountsChange)
{
  World world;
  world.staff.AddHashedUser("sam", SamHash(), StaffRole::Sharer);
  ASSERT_EQ(StaffRefusal::None, world.staff.CheckBasic(Basic("sam", "sam-pw"), "192.0.2.7").refusal);
  {
    const AllSlotsTaken taken;
    EXPECT_EQ(StaffRefusal::None, world.staff.CheckBasic(Basic("sam", "sam-pw"), "192.0.2.7").refusal)
      << "no Argon2id for credentials verified a moment ago";
    EXPECT_EQ(StaffRefusal::Busy, world.staff.CheckBasic(Basic("sam", "sam-pw2"), "192.0.2.7").refusal)
      << "only the exact credentials are remembered";
    world.staff.AddPlainUser("other", "other-pw", StaffRole::Sharer);
    EXPECT_EQ(StaffRefusal::Busy, world.staff.CheckBasic(Basic("sam", "sam-pw"), "192.0.2.7").refusal)
      << "forgotten when the accounts change";
  }
}

TEST(StaffSignInTests, WithoutPerUserCountingNobodyLocksOutAnAccountByNamingIt)
{
  StaffSignInLimits limits{60, 3, 3};
  limits.countsUsers = false;  // as the token service's callers
  World world(limits);
  for (int client = 1; client <= 20; client++)
  {
    EXPECT_EQ(StaffRefusal::WrongCredentials,
              world.staff.CheckBasic(Basic("orthanc", "guess"), "192.0.2." + std::to_string(client)).refusal);
  }
  EXPECT_EQ(StaffRefusal::None, world.staff.CheckBasic(Basic("orthanc", "orthanc-pw"), "198.51.100.1").refusal);
  // The per-client limit still holds.
  for (int i = 0; i < 2; i++)
  {
    EXPECT_EQ(StaffRefusal::WrongCredentials, world.staff.CheckBasic(Basic("orthanc", "guess"), "192.0.2.1").refusal);
  }
  EXPECT_EQ(StaffRefusal::RateLimited, world.staff.CheckBasic(Basic("orthanc", "orthanc-pw"), "192.0.2.1").refusal);
}
