// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteShareStore.h"

#include "SqliteMigrations.h"
#include "Utf8Text.h"

namespace studyshare
{
  namespace
  {
    constexpr const char* kShareColumns =
      "id, created_at, expires_at, revoked_at, permissions, max_uses, uses, password_hash, "
      "require_birth_date, access_code_hash, anonymize, viewer, created_by, note, recipient, token_type, "
      "anonymization, "
      "require_email_code, kind, inbox_limits";

    Share ReadShare(const SqliteStatement& row)
    {
      Share share;
      share.id = row.GetString(0);
      share.createdAt = row.GetInt(1);
      share.expiresAt = row.GetOptionalInt(2);
      share.revokedAt = row.GetOptionalInt(3);
      share.permissions = static_cast<unsigned>(row.GetInt(4));
      share.maxUses = row.GetOptionalInt(5);
      share.uses = row.GetInt(6);
      share.passwordHash = row.GetString(7);
      share.requireBirthDate = row.GetInt(8) != 0;
      share.accessCodeHash = row.GetString(9);
      share.anonymize = row.GetInt(10) != 0;
      share.viewer = row.GetString(11);
      share.createdBy = row.GetString(12);
      share.note = row.GetString(13);
      share.recipientJson = row.GetString(14);
      share.tokenType = row.GetString(15);
      share.requireEmailCode = row.GetInt(17) != 0;
      if (share.anonymize)
      {
        share.anonymization = ShareAnonymization::FromJson(row.GetString(16));
      }
      if (row.GetString(18) == "inbox")
      {
        share.kind = ShareKind::Inbox;
        share.inboxLimits = InboxLimits::FromJson(row.GetString(19));
      }
      return share;
    }
  }

  SqliteShareStore::SqliteShareStore(const std::string& path) : path_(path), db_(path)
  {
    Configure();
  }

  void SqliteShareStore::Configure()
  {
    // synchronous=FULL: a commit reaches the disk before it is answered. With
    // NORMAL an acknowledged revocation could vanish in a power cut or when
    // the file system turns read-only under us (test_store_faults.py).
    db_.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    Migrate();
  }

  // A store file deleted or replaced while Orthanc runs: SQLite would go on
  // writing into the unlinked file, and all of it would be gone at the next
  // start. Refuse until a file is back at the path (a restored backup), then
  // use that one.
  std::unique_lock<std::mutex> SqliteShareStore::LockOpenStore()
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (db_.FileHasMoved())
    {
      try
      {
        db_.ReopenExisting();
      }
      catch (const StoreUnavailable&)
      {
        throw StoreUnavailable("the share store file " + path_ +
                               " was deleted or moved while in use; put it back (or restore a backup) there");
      }
      Configure();
    }
    return lock;
  }

  int SqliteShareStore::CurrentSchemaVersion()
  {
    return static_cast<int>(kSqliteMigrationCount);
  }

  uint64_t SqliteShareStore::ExternalChangeStamp()
  {
    auto lock = LockOpenStore();
    SqliteStatement query(db_, "PRAGMA data_version");
    query.Step();
    return static_cast<uint64_t>(query.GetInt(0));
  }

  int SqliteShareStore::GetSchemaVersion()
  {
    auto lock = LockOpenStore();
    SqliteStatement query(db_, "PRAGMA user_version");
    query.Step();
    return static_cast<int>(query.GetInt(0));
  }

  void SqliteShareStore::Migrate()
  {
    SqliteTransaction transaction(db_);
    SqliteStatement query(db_, "PRAGMA user_version");
    query.Step();
    const int64_t version = query.GetInt(0);
    if (version > CurrentSchemaVersion())
    {
      throw StoreUnavailable("the share store was written by a newer StudyShare (schema version " +
                             std::to_string(version) + ")");
    }
    for (int64_t next = version; next < CurrentSchemaVersion(); next++)
    {
      db_.Execute(kSqliteMigrations[next]);
    }
    db_.Execute("PRAGMA user_version = " + std::to_string(CurrentSchemaVersion()));
    transaction.Commit();
  }

  void SqliteShareStore::InsertAudit(const AuditEvent& event)
  {
    SqliteStatement insert(
      db_,
      "INSERT INTO audit (share_id, at, event, outcome, actor, client_address, user_agent) VALUES (?,?,?,?,?,?,?)");
    insert.Bind(1, event.shareId)
      .Bind(2, event.at)
      .Bind(3, event.event)
      .Bind(4, event.outcome)
      .Bind(5, ToValidUtf8(event.actor))
      .Bind(6, ToValidUtf8(event.clientAddress))
      .Bind(7, ToValidUtf8(event.userAgent))
      .Run();
  }

  void SqliteShareStore::Create(const Share& share, const AuditEvent& created)
  {
    auto lock = LockOpenStore();
    SqliteTransaction transaction(db_);
    SqliteStatement insert(
      db_,
      "INSERT INTO shares (id, created_at, expires_at, revoked_at, permissions, max_uses, uses, password_hash, "
      "require_birth_date, access_code_hash, anonymize, viewer, created_by, note, recipient, token_type, "
      "anonymization, require_email_code, kind, inbox_limits) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    insert.Bind(1, share.id)
      .Bind(2, share.createdAt)
      .Bind(3, share.expiresAt)
      .Bind(4, share.revokedAt)
      .Bind(5, static_cast<int64_t>(share.permissions))
      .Bind(6, share.maxUses)
      .Bind(7, share.uses)
      .Bind(8, share.passwordHash)
      .Bind(9, static_cast<int64_t>(share.requireBirthDate))
      .Bind(10, share.accessCodeHash)
      .Bind(11, static_cast<int64_t>(share.anonymize))
      .Bind(12, share.viewer)
      .Bind(13, share.createdBy)
      .Bind(14, share.note)
      .Bind(15, share.recipientJson)
      .Bind(16, share.tokenType)
      .Bind(17, share.anonymize ? share.anonymization.ToJson() : std::string())
      .Bind(18, static_cast<int64_t>(share.requireEmailCode))
      .Bind(19, std::string(share.IsInbox() ? "inbox" : "share"))
      .Bind(20, share.IsInbox() ? share.inboxLimits.ToJson() : std::string())
      .Run();
    InsertStudies(share.id, share.studies);
    InsertAudit(created);
    transaction.Commit();
  }

  void SqliteShareStore::InsertStudies(const std::string& shareId, const std::vector<SharedStudy>& studies)
  {
    for (size_t i = 0; i < studies.size(); i++)
    {
      const SharedStudy& study = studies[i];
      SqliteStatement row(
        db_,
        "INSERT INTO share_studies (share_id, position, orthanc_id, dicom_uid, patient_name, patient_id, "
        "study_date, study_description, level, accession_number) VALUES (?,?,?,?,?,?,?,?,?,?)");
      row.Bind(1, shareId)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, study.orthancId)
        .Bind(4, study.dicomUid)
        .Bind(5, study.patientName)
        .Bind(6, study.patientId)
        .Bind(7, study.studyDate)
        .Bind(8, study.studyDescription)
        .Bind(9, study.IsWholeStudy() ? std::string("study") : study.level)
        .Bind(10, study.accessionNumber)
        .Run();
    }
  }

  bool SqliteShareStore::UpdateAnonymization(const std::string& id, const ShareAnonymization& anonymization,
                                             const std::optional<std::vector<SharedStudy>>& studies,
                                             const std::optional<AuditEvent>& event)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteTransaction transaction(db_);
    SqliteStatement update(db_, "UPDATE shares SET anonymization = ? WHERE id = ? AND anonymize = 1");
    update.Bind(1, anonymization.ToJson()).Bind(2, id).Run();
    if (db_.Changes() != 1)
    {
      return false;
    }
    if (studies)
    {
      SqliteStatement remove(db_, "DELETE FROM share_studies WHERE share_id = ?");
      remove.Bind(1, id).Run();
      InsertStudies(id, *studies);
    }
    if (event)
    {
      InsertAudit(*event);
    }
    transaction.Commit();
    return true;
  }

  void SqliteShareStore::LoadStudies(Share& share)
  {
    SqliteStatement query(db_,
                          "SELECT orthanc_id, dicom_uid, patient_name, patient_id, study_date, study_description, "
                          "level, accession_number FROM share_studies WHERE share_id = ? ORDER BY position");
    query.Bind(1, share.id);
    while (query.Step())
    {
      share.studies.push_back({query.GetString(0), query.GetString(1), query.GetString(2), query.GetString(3),
                               query.GetString(4), query.GetString(5), query.GetString(6), query.GetString(7)});
    }
  }

  std::optional<Share> SqliteShareStore::Lookup(const std::string& id)
  {
    auto lock = LockOpenStore();
    SqliteStatement query(db_, (std::string("SELECT ") + kShareColumns + " FROM shares WHERE id = ?").c_str());
    query.Bind(1, id);
    if (!query.Step())
    {
      return std::nullopt;
    }
    Share share = ReadShare(query);
    LoadStudies(share);
    return share;
  }

  std::vector<Share> SqliteShareStore::List(const ShareFilter& filter)
  {
    auto lock = LockOpenStore();
    std::string sql = std::string("SELECT ") + kShareColumns + " FROM shares WHERE 1=1";
    if (filter.studyOrthancId)
    {
      sql += " AND id IN (SELECT share_id FROM share_studies WHERE orthanc_id = ?1)";
    }
    if (filter.createdBy)
    {
      sql += " AND created_by = ?2";
    }
    if (filter.activeOnly)
    {
      sql +=
        " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?3)"
        " AND (max_uses IS NULL OR uses < max_uses)";
    }
    sql += " ORDER BY created_at DESC, id";
    SqliteStatement query(db_, sql.c_str());
    if (filter.studyOrthancId)
    {
      query.Bind(1, *filter.studyOrthancId);
    }
    if (filter.createdBy)
    {
      query.Bind(2, *filter.createdBy);
    }
    if (filter.activeOnly)
    {
      query.Bind(3, filter.now);
    }
    std::vector<Share> shares;
    while (query.Step())
    {
      shares.push_back(ReadShare(query));
    }
    for (Share& share : shares)
    {
      LoadStudies(share);
    }
    return shares;
  }

  bool SqliteShareStore::Revoke(const std::string& id, int64_t now, const AuditEvent& revoked)
  {
    auto lock = LockOpenStore();
    SqliteTransaction transaction(db_);
    SqliteStatement exists(db_, "SELECT 1 FROM shares WHERE id = ?");
    exists.Bind(1, id);
    if (!exists.Step())
    {
      return false;
    }
    SqliteStatement update(db_, "UPDATE shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    update.Bind(1, now).Bind(2, id).Run();
    InsertAudit(revoked);
    transaction.Commit();
    return true;
  }

  std::optional<Share> SqliteShareStore::FindByAccessCode(const std::string& codeDigest)
  {
    std::string id;
    {
      auto lock = LockOpenStore();
      SqliteStatement query(db_, "SELECT id FROM shares WHERE access_code_hash = ? AND access_code_hash != ''");
      query.Bind(1, codeDigest);
      if (!query.Step())
      {
        return std::nullopt;
      }
      id = query.GetString(0);
    }
    return Lookup(id);
  }

  bool SqliteShareStore::ConsumeUse(const std::string& id)
  {
    auto lock = LockOpenStore();
    SqliteStatement update(db_,
                           "UPDATE shares SET uses = uses + 1 WHERE id = ? AND (max_uses IS NULL OR uses < max_uses)");
    update.Bind(1, id).Run();
    return db_.Changes() == 1;
  }

  bool SqliteShareStore::ReplaceAccessCode(const std::string& id, const std::string& codeDigest,
                                           const AuditEvent& replaced)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteTransaction transaction(db_);
    SqliteStatement update(db_, "UPDATE shares SET access_code_hash = ? WHERE id = ?");
    update.Bind(1, codeDigest).Bind(2, id).Run();
    if (db_.Changes() != 1)
    {
      return false;
    }
    InsertAudit(replaced);
    transaction.Commit();
    return true;
  }

  void SqliteShareStore::AppendAudit(const AuditEvent& event)
  {
    auto lock = LockOpenStore();
    InsertAudit(event);
  }

  std::vector<AuditEvent> SqliteShareStore::ListAudit(const std::string& shareId)
  {
    auto lock = LockOpenStore();
    SqliteStatement query(db_,
                          "SELECT share_id, at, event, outcome, actor, client_address, user_agent FROM audit "
                          "WHERE share_id = ? ORDER BY seq");
    query.Bind(1, shareId);
    std::vector<AuditEvent> events;
    while (query.Step())
    {
      events.push_back({query.GetString(0), query.GetInt(1), query.GetString(2), query.GetString(3), query.GetString(4),
                        query.GetString(5), query.GetString(6)});
    }
    return events;
  }
}
