// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresShareStore.h"

#include "Utf8Text.h"

namespace studyshare
{
  InboxClaim PostgresShareStore::ClaimInboxInstance(const ReceivedInstance& instance, const OrthancPresence& presence,
                                                    const InboxLimits& limits)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    // The inbox's usage row, locked: its claims on every node go one by one.
    connection->Run("inbox_usage_ensure",
                    "INSERT INTO studyshare_inbox_usage (share_id) VALUES ($1) ON CONFLICT DO NOTHING",
                    {instance.shareId});
    PgResult usage = connection->Run("inbox_usage_lock",
                                     "SELECT bytes, files FROM studyshare_inbox_usage WHERE share_id = $1 FOR UPDATE",
                                     {instance.shareId});
    PgResult held =
      connection->Run("inbox_instance_owner", "SELECT share_id FROM studyshare_inbox_instances WHERE sop_uid = $1",
                      {instance.sopInstanceUid});
    if (held.Rows() > 0)
    {
      return held.GetString(0, 0) == instance.shareId ? InboxClaim::AlreadyReceived : InboxClaim::OtherInbox;
    }
    if (presence.instanceExists)
    {
      return InboxClaim::InstanceExists;
    }
    PgResult study =
      connection->Run("inbox_study_owner", "SELECT share_id FROM studyshare_inbox_studies WHERE study_uid = $1",
                      {instance.studyInstanceUid});
    const bool studyClaimed = study.Rows() > 0;
    if (studyClaimed && study.GetString(0, 0) != instance.shareId)
    {
      return InboxClaim::OtherInbox;
    }
    if (!studyClaimed && presence.studyExists)
    {
      return InboxClaim::StudyExists;
    }
    if (usage.GetInt(0, 1) + 1 > limits.maxFiles)
    {
      return InboxClaim::TooManyFiles;
    }
    if (usage.GetInt(0, 0) + instance.bytes > limits.maxUploadBytes)
    {
      return InboxClaim::TooManyBytes;
    }
    if (!studyClaimed)
    {
      // Another inbox may claim the same new study at the same moment: the
      // key decides, and the loser is refused.
      PgResult claimed = connection->Run(
        "inbox_study_claim",
        "INSERT INTO studyshare_inbox_studies (study_uid, share_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {instance.studyInstanceUid, instance.shareId});
      if (claimed.Affected() != 1)
      {
        return InboxClaim::OtherInbox;
      }
    }
    PgResult inserted = connection->Run(
      "inbox_instance_claim",
      "INSERT INTO studyshare_inbox_instances (sop_uid, share_id, study_uid, series_uid, patient_name, patient_id, "
      "study_date, study_description, modality, bytes, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) "
      "ON CONFLICT DO NOTHING",
      {instance.sopInstanceUid, instance.shareId, instance.studyInstanceUid, instance.seriesInstanceUid,
       ToValidUtf8(instance.patientName), ToValidUtf8(instance.patientId), ToValidUtf8(instance.studyDate),
       ToValidUtf8(instance.studyDescription), ToValidUtf8(instance.modality), PgParam(instance.bytes),
       PgParam(instance.at)});
    if (inserted.Affected() != 1)
    {
      return InboxClaim::OtherInbox;
    }
    connection->Run("inbox_usage_add",
                    "UPDATE studyshare_inbox_usage SET bytes = bytes + $2, files = files + 1 WHERE share_id = $1",
                    {instance.shareId, PgParam(instance.bytes)});
    transaction.Commit();
    return InboxClaim::Claimed;
  }

  void PostgresShareStore::CompleteInboxInstance(const ReceivedInstance& instance)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run(
      "inbox_instance_done",
      "UPDATE studyshare_inbox_instances SET orthanc_instance_id = $1, orthanc_study_id = $2, done = TRUE "
      "WHERE sop_uid = $3 AND share_id = $4",
      {instance.orthancInstanceId, instance.orthancStudyId, instance.sopInstanceUid, instance.shareId});
  }

  void PostgresShareStore::ReleaseInboxInstance(const std::string& shareId, const std::string& sopInstanceUid)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    PgResult removed = connection->Run("inbox_instance_release",
                                       "DELETE FROM studyshare_inbox_instances WHERE sop_uid = $1 AND share_id = $2 "
                                       "AND NOT done RETURNING study_uid, bytes",
                                       {sopInstanceUid, shareId});
    if (removed.Rows() == 0)
    {
      return;
    }
    connection->Run("inbox_usage_remove",
                    "UPDATE studyshare_inbox_usage SET bytes = bytes - $2, files = files - 1 WHERE share_id = $1",
                    {shareId, PgParam(removed.GetInt(0, 1))});
    // A study this inbox claimed but never stored is not its own.
    connection->Run("inbox_study_release",
                    "DELETE FROM studyshare_inbox_studies WHERE study_uid = $1 AND share_id = $2 AND NOT EXISTS "
                    "(SELECT 1 FROM studyshare_inbox_instances WHERE study_uid = $1 AND share_id = $2)",
                    {removed.GetString(0, 0), shareId});
    transaction.Commit();
  }

  std::vector<ReceivedInstance> PostgresShareStore::ListReceived(const std::string& shareId)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult rows = connection->Run(
      "inbox_received",
      "SELECT sop_uid, series_uid, study_uid, orthanc_instance_id, orthanc_study_id, patient_name, patient_id, "
      "study_date, study_description, modality, bytes, at FROM studyshare_inbox_instances "
      "WHERE share_id = $1 AND done ORDER BY at, sop_uid",
      {shareId});
    std::vector<ReceivedInstance> received;
    for (int row = 0; row < rows.Rows(); row++)
    {
      received.push_back({shareId, rows.GetString(row, 0), rows.GetString(row, 1), rows.GetString(row, 2),
                          rows.GetString(row, 3), rows.GetString(row, 4), rows.GetString(row, 5),
                          rows.GetString(row, 6), rows.GetString(row, 7), rows.GetString(row, 8),
                          rows.GetString(row, 9), rows.GetInt(row, 10), rows.GetInt(row, 11)});
    }
    return received;
  }
}
