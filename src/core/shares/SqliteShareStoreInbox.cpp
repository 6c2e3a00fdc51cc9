// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteShareStore.h"

#include "Utf8Text.h"

namespace studyshare
{
  InboxClaim SqliteShareStore::ClaimInboxInstance(const ReceivedInstance& instance, const OrthancPresence& presence,
                                                  const InboxLimits& limits)
  {
    // BEGIN IMMEDIATE: the checks and the insert see no other writer, on
    // this process or any other on the same file.
    auto lock = LockOpenStore();
    SqliteTransaction transaction(db_);
    SqliteStatement held(db_, "SELECT share_id FROM inbox_instances WHERE sop_uid = ?");
    held.Bind(1, instance.sopInstanceUid);
    if (held.Step())
    {
      return held.GetString(0) == instance.shareId ? InboxClaim::AlreadyReceived : InboxClaim::OtherInbox;
    }
    if (presence.instanceExists)
    {
      return InboxClaim::InstanceExists;
    }
    SqliteStatement study(db_, "SELECT share_id FROM inbox_studies WHERE study_uid = ?");
    study.Bind(1, instance.studyInstanceUid);
    const bool studyClaimed = study.Step();
    if (studyClaimed && study.GetString(0) != instance.shareId)
    {
      return InboxClaim::OtherInbox;
    }
    if (!studyClaimed && presence.studyExists)
    {
      return InboxClaim::StudyExists;
    }
    SqliteStatement usage(db_, "SELECT bytes, files FROM inbox_usage WHERE share_id = ?");
    usage.Bind(1, instance.shareId);
    const bool hasUsage = usage.Step();
    const int64_t bytes = hasUsage ? usage.GetInt(0) : 0;
    const int64_t files = hasUsage ? usage.GetInt(1) : 0;
    if (files + 1 > limits.maxFiles)
    {
      return InboxClaim::TooManyFiles;
    }
    if (bytes + instance.bytes > limits.maxUploadBytes)
    {
      return InboxClaim::TooManyBytes;
    }
    SqliteStatement count(db_,
                          "INSERT INTO inbox_usage (share_id, bytes, files) VALUES (?1, ?2, 1) "
                          "ON CONFLICT(share_id) DO UPDATE SET bytes = bytes + ?2, files = files + 1");
    count.Bind(1, instance.shareId).Bind(2, instance.bytes).Run();
    if (!studyClaimed)
    {
      SqliteStatement claim(db_, "INSERT INTO inbox_studies (study_uid, share_id) VALUES (?, ?)");
      claim.Bind(1, instance.studyInstanceUid).Bind(2, instance.shareId).Run();
    }
    SqliteStatement insert(db_,
                           "INSERT INTO inbox_instances (sop_uid, share_id, study_uid, series_uid, patient_name, "
                           "patient_id, study_date, study_description, modality, bytes, at) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    insert.Bind(1, instance.sopInstanceUid)
      .Bind(2, instance.shareId)
      .Bind(3, instance.studyInstanceUid)
      .Bind(4, instance.seriesInstanceUid)
      .Bind(5, ToValidUtf8(instance.patientName))
      .Bind(6, ToValidUtf8(instance.patientId))
      .Bind(7, ToValidUtf8(instance.studyDate))
      .Bind(8, ToValidUtf8(instance.studyDescription))
      .Bind(9, ToValidUtf8(instance.modality))
      .Bind(10, instance.bytes)
      .Bind(11, instance.at)
      .Run();
    transaction.Commit();
    return InboxClaim::Claimed;
  }

  void SqliteShareStore::CompleteInboxInstance(const ReceivedInstance& instance)
  {
    auto lock = LockOpenStore();
    SqliteStatement update(db_,
                           "UPDATE inbox_instances SET orthanc_instance_id = ?, orthanc_study_id = ?, done = 1 "
                           "WHERE sop_uid = ? AND share_id = ?");
    update.Bind(1, instance.orthancInstanceId)
      .Bind(2, instance.orthancStudyId)
      .Bind(3, instance.sopInstanceUid)
      .Bind(4, instance.shareId)
      .Run();
  }

  void SqliteShareStore::ReleaseInboxInstance(const std::string& shareId, const std::string& sopInstanceUid)
  {
    auto lock = LockOpenStore();
    SqliteTransaction transaction(db_);
    SqliteStatement row(db_,
                        "SELECT study_uid, bytes FROM inbox_instances WHERE sop_uid = ? AND share_id = ? AND done = 0");
    row.Bind(1, sopInstanceUid).Bind(2, shareId);
    if (!row.Step())
    {
      return;
    }
    const std::string studyUid = row.GetString(0);
    const int64_t bytes = row.GetInt(1);
    SqliteStatement remove(db_, "DELETE FROM inbox_instances WHERE sop_uid = ?");
    remove.Bind(1, sopInstanceUid).Run();
    SqliteStatement count(db_, "UPDATE inbox_usage SET bytes = bytes - ?, files = files - 1 WHERE share_id = ?");
    count.Bind(1, bytes).Bind(2, shareId).Run();
    // A study this inbox claimed but never stored is not its own.
    SqliteStatement unclaim(db_,
                            "DELETE FROM inbox_studies WHERE study_uid = ?1 AND share_id = ?2 AND NOT EXISTS "
                            "(SELECT 1 FROM inbox_instances WHERE study_uid = ?1 AND share_id = ?2)");
    unclaim.Bind(1, studyUid).Bind(2, shareId).Run();
    transaction.Commit();
  }

  std::vector<ReceivedInstance> SqliteShareStore::ListReceived(const std::string& shareId)
  {
    auto lock = LockOpenStore();
    SqliteStatement query(db_,
                          "SELECT sop_uid, series_uid, study_uid, orthanc_instance_id, orthanc_study_id, patient_name, "
                          "patient_id, study_date, study_description, modality, bytes, at FROM inbox_instances "
                          "WHERE share_id = ? AND done = 1 ORDER BY at, rowid");
    query.Bind(1, shareId);
    std::vector<ReceivedInstance> received;
    while (query.Step())
    {
      received.push_back({shareId, query.GetString(0), query.GetString(1), query.GetString(2), query.GetString(3),
                          query.GetString(4), query.GetString(5), query.GetString(6), query.GetString(7),
                          query.GetString(8), query.GetString(9), query.GetInt(10), query.GetInt(11)});
    }
    return received;
  }
}
