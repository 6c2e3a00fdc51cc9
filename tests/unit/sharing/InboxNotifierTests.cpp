// SPDX-License-Identifier: GPL-3.0-or-later
// InboxNotifier: who gets the "files received" e-mail, what it leaves out, the
// interval per inbox (in time and under parallel calls) and its audit lines.
#include "InboxNotifier.h"

#include "SqliteShareStore.h"
#include "StudyShareConfig.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  struct RecordingSender : ISmtpSender
  {
    std::mutex mutex;
    std::vector<std::string> messages;
    std::vector<std::string> recipients;
    bool fail = false;
    void Send(const std::string&, const std::vector<std::string>& to, const std::string& message) override
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (fail)
      {
        throw SmtpError("cannot connect to smtp://127.0.0.1:9 (Connection refused)");
      }
      recipients.insert(recipients.end(), to.begin(), to.end());
      messages.push_back(message);
    }
  };

  class InboxNotifierTests : public ::testing::Test
  {
  protected:
    InboxNotifierTests()
    {
      config.publicUrl = "https://pacs.example.org";
      config.smtp.url = "smtp://127.0.0.1:2525";
      config.smtp.fromAddress = "noreply@example.org";
      config.email.inboxNotifyAddress = "team@example.org";
      config.email.inboxNotifyIntervalSeconds = 600;
      config.staffEmails["carol"] = "carol@example.org";
    }

    std::string MakeInbox(const std::string& creator, int instances)
    {
      Share inbox;
      inbox.id = "inbox-" + std::to_string(++count);
      inbox.kind = ShareKind::Inbox;
      inbox.createdAt = kNow;
      inbox.createdBy = creator;
      inbox.note = "priors for the MDT";
      inbox.recipientJson = R"({"Name": "Dr Who"})";
      store.Create(inbox, {inbox.id, kNow, "create", "success", creator, "", ""});
      for (int i = 0; i < instances; i++)
      {
        ReceivedInstance instance;
        instance.shareId = inbox.id;
        instance.sopInstanceUid = "1.2.3." + std::to_string(count) + "." + std::to_string(i);
        instance.seriesInstanceUid = "1.2.4." + std::to_string(count);
        instance.studyInstanceUid = "1.2.5." + std::to_string(count);
        instance.orthancStudyId = "orthanc-study-id";
        instance.patientName = "SECRET^PATIENT";
        instance.patientId = "SECRET-ID";
        instance.studyDate = "20240101";
        instance.studyDescription = "SECRET DESCRIPTION";
        instance.modality = "CT";
        instance.bytes = 1 << 20;
        instance.at = kNow;
        EXPECT_EQ(store.ClaimInboxInstance(instance, {}, inbox.inboxLimits), InboxClaim::Claimed);
        store.CompleteInboxInstance(instance);
      }
      return inbox.id;
    }

    std::vector<AuditEvent> NotifyEvents(const std::string& id)
    {
      std::vector<AuditEvent> found;
      for (const AuditEvent& event : store.ListAudit(id))
      {
        if (event.event == "notify")
        {
          found.push_back(event);
        }
      }
      return found;
    }

    TempDir dir;
    SqliteShareStore store{dir.File("shares.db")};
    StudyShareConfig config;
    RecordingSender sender;
    std::atomic<int64_t> now{kNow};
    InboxNotifier notifier{config, store, sender, [this] { return now.load(); }};
    int count = 0;
  };
}

TEST_F(InboxNotifierTests, TellsTheTeamCountsAndNoPatientData)
{
  const std::string id = MakeInbox("admin", 3);
  ASSERT_TRUE(notifier.Notify(id, {"192.0.2.7", "unit-test"}));
  ASSERT_EQ(sender.messages.size(), 1u);
  EXPECT_EQ(sender.recipients, std::vector<std::string>{"team@example.org"});
  std::string message = sender.messages[0];
  for (size_t at = message.find("=\r\n"); at != std::string::npos; at = message.find("=\r\n"))
  {
    message.erase(at, 3);  // quoted-printable soft line breaks
  }
  EXPECT_NE(message.find("Files received in inbox " + id), std::string::npos);
  EXPECT_NE(message.find("1 study, 3 instances, 3.0 MiB"), std::string::npos);
  EXPECT_NE(message.find("Study 1: CT, 3 instances"), std::string::npos);
  EXPECT_NE(message.find("https://pacs.example.org/studyshare/staff/shares.html"), std::string::npos);
  for (const char* secret : {"SECRET", "1.2.5.", "orthanc-study-id", "20240101", "token"})
  {
    EXPECT_EQ(message.find(secret), std::string::npos) << secret;
  }
  const std::vector<AuditEvent> events = NotifyEvents(id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].outcome, "sent to team@example.org");
  EXPECT_EQ(events[0].clientAddress, "192.0.2.7");
}

TEST_F(InboxNotifierTests, TheCreatorsOwnAddressComesFirst)
{
  ASSERT_TRUE(notifier.Notify(MakeInbox("carol", 1), {}));
  EXPECT_EQ(sender.recipients, std::vector<std::string>{"carol@example.org"});
}

TEST_F(InboxNotifierTests, NothingWithoutAnAddressOrBeforeAnythingArrived)
{
  config.email.inboxNotifyAddress.clear();
  EXPECT_FALSE(notifier.Notify(MakeInbox("admin", 2), {}));
  config.email.inboxNotifyAddress = "team@example.org";
  EXPECT_FALSE(notifier.Notify(MakeInbox("admin", 0), {}));
  EXPECT_FALSE(notifier.Notify("no-such-inbox", {}));
  EXPECT_TRUE(sender.messages.empty());
}

TEST_F(InboxNotifierTests, OneMessagePerIntervalPerInbox)
{
  const std::string first = MakeInbox("admin", 1);
  const std::string second = MakeInbox("admin", 1);
  EXPECT_TRUE(notifier.Notify(first, {}));
  now += 599;
  EXPECT_FALSE(notifier.Notify(first, {}));
  EXPECT_TRUE(notifier.Notify(second, {}));  // another inbox has its own interval
  now += 1;
  EXPECT_TRUE(notifier.Notify(first, {}));
  EXPECT_EQ(sender.messages.size(), 3u);
}

TEST_F(InboxNotifierTests, ParallelCallsSendOne)
{
  const std::string id = MakeInbox("admin", 1);
  std::atomic<int> sent{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; i++)
  {
    threads.emplace_back(
      [&]
      {
        if (notifier.Notify(id, {}))
        {
          sent++;
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(sent.load(), 1);
  EXPECT_EQ(sender.messages.size(), 1u);
  EXPECT_EQ(NotifyEvents(id).size(), 1u);
}

TEST_F(InboxNotifierTests, AFailedSendIsAuditedAndWaitsTheInterval)
{
  const std::string id = MakeInbox("admin", 1);
  sender.fail = true;
  EXPECT_FALSE(notifier.Notify(id, {}));
  sender.fail = false;
  EXPECT_FALSE(notifier.Notify(id, {}));
  const std::vector<AuditEvent> events = NotifyEvents(id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].outcome.rfind("failed: cannot connect", 0), 0u) << events[0].outcome;
}

TEST(InboxNotifyConfigTests, AddressesAndIntervalAreChecked)
{
  const auto error = [](const nlohmann::json& section)
  {
    try
    {
      StudyShareConfig::Parse(nlohmann::json{{"StudyShare", section}});
    }
    catch (const ConfigurationError& e)
    {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(error({{"Email", {{"InboxNotifyAddress", "not an address"}}}}).find("Email.InboxNotifyAddress"),
            std::string::npos);
  EXPECT_NE(error({{"Email", {{"InboxNotifyIntervalSeconds", 0}}}}).find("InboxNotifyIntervalSeconds"),
            std::string::npos);
  EXPECT_NE(error({{"Users", {{"carol", {{"PasswordHash", "x"}, {"Email", "carol at example"}}}}}}).find("carol.Email"),
            std::string::npos);
  const StudyShareConfig parsed = StudyShareConfig::Parse(
    nlohmann::json{{"StudyShare",
                    {{"Email", {{"InboxNotifyAddress", "team@example.org"}, {"InboxNotifyIntervalSeconds", 60}}},
                     {"Users",
                      {{"carol",
                        {{"PasswordHash", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"},
                         {"Email", "carol@example.org"}}}}}}}});
  EXPECT_EQ(parsed.email.inboxNotifyAddress, "team@example.org");
  EXPECT_EQ(parsed.email.inboxNotifyIntervalSeconds, 60);
  EXPECT_EQ(parsed.staffEmails.at("carol"), "carol@example.org");
}
