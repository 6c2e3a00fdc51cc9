// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresShareStore.h"

#include "PostgresSchema.h"

#include <thread>
#include <unordered_map>

namespace studyshare
{
  namespace
  {
    constexpr const char* kShareColumns =
      "id, created_at, expires_at, revoked_at, permissions, max_uses, uses, password_hash, "
      "require_birth_date, access_code_hash, anonymize, viewer, created_by, note, recipient, token_type, "
      "anonymization, "
      "require_email_code, kind, inbox_limits";

    Share ReadShare(const PgResult& rows, int row)
    {
      Share share;
      share.id = rows.GetString(row, 0);
      share.createdAt = rows.GetInt(row, 1);
      share.expiresAt = rows.GetOptionalInt(row, 2);
      share.revokedAt = rows.GetOptionalInt(row, 3);
      share.permissions = static_cast<unsigned>(rows.GetInt(row, 4));
      share.maxUses = rows.GetOptionalInt(row, 5);
      share.uses = rows.GetInt(row, 6);
      share.passwordHash = rows.GetString(row, 7);
      share.requireBirthDate = rows.GetString(row, 8) == "t";
      share.accessCodeHash = rows.GetString(row, 9);
      share.anonymize = rows.GetString(row, 10) == "t";
      share.viewer = rows.GetString(row, 11);
      share.createdBy = rows.GetString(row, 12);
      share.note = rows.GetString(row, 13);
      share.recipientJson = rows.GetString(row, 14);
      share.tokenType = rows.GetString(row, 15);
      share.requireEmailCode = rows.GetString(row, 17) == "t";
      if (share.anonymize)
      {
        share.anonymization = ShareAnonymization::FromJson(rows.GetString(row, 16));
      }
      if (rows.GetString(row, 18) == "inbox")
      {
        share.kind = ShareKind::Inbox;
        share.inboxLimits = InboxLimits::FromJson(rows.GetString(row, 19));
      }
      return share;
    }

    std::optional<std::string> Bool(bool value)
    {
      return std::string(value ? "true" : "false");
    }

    void InsertStudies(PgConnection& connection, const std::string& shareId, const std::vector<SharedStudy>& studies)
    {
      for (size_t i = 0; i < studies.size(); i++)
      {
        const SharedStudy& study = studies[i];
        connection.Run("study_insert",
                       "INSERT INTO studyshare_share_studies (share_id, position, orthanc_id, dicom_uid, patient_name, "
                       "patient_id, study_date, study_description, level, accession_number) "
                       "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
                       {shareId, PgParam(static_cast<int64_t>(i)), study.orthancId, study.dicomUid, study.patientName,
                        study.patientId, study.studyDate, study.studyDescription,
                        study.IsWholeStudy() ? std::string("study") : study.level, study.accessionNumber});
      }
    }

    // Loads the studies of every share in `shares` with one query.
    void LoadStudies(PgConnection& connection, std::vector<Share>& shares)
    {
      if (shares.empty())
      {
        return;
      }
      std::string ids = "{";
      for (size_t i = 0; i < shares.size(); i++)
      {
        std::string quoted;
        for (char c : shares[i].id)
        {
          if (c == '"' || c == '\\')
          {
            quoted.push_back('\\');
          }
          quoted.push_back(c);
        }
        ids += (i == 0 ? "\"" : ",\"") + quoted + "\"";
      }
      ids += "}";
      PgResult rows = connection.Run("studies_of",
                                     "SELECT share_id, orthanc_id, dicom_uid, patient_name, patient_id, study_date, "
                                     "study_description, level, accession_number FROM studyshare_share_studies "
                                     "WHERE share_id = ANY($1::text[]) "
                                     "ORDER BY share_id, position",
                                     {ids});
      std::unordered_map<std::string, Share*> byId;
      for (Share& share : shares)
      {
        byId[share.id] = &share;
      }
      for (int row = 0; row < rows.Rows(); row++)
      {
        auto found = byId.find(rows.GetString(row, 0));
        if (found != byId.end())
        {
          found->second->studies.push_back({rows.GetString(row, 1), rows.GetString(row, 2), rows.GetString(row, 3),
                                            rows.GetString(row, 4), rows.GetString(row, 5), rows.GetString(row, 6),
                                            rows.GetString(row, 7), rows.GetString(row, 8)});
        }
      }
    }

    std::vector<Share> ReadShares(PgConnection& connection, const PgResult& rows)
    {
      std::vector<Share> shares;
      for (int row = 0; row < rows.Rows(); row++)
      {
        shares.push_back(ReadShare(rows, row));
      }
      LoadStudies(connection, shares);
      return shares;
    }
  }

  void PostgresShareStore::InsertAudit(PgConnection& connection, const AuditEvent& event)
  {
    connection.Run("audit_insert",
                   "INSERT INTO studyshare_audit (share_id, at, event, outcome, actor, client_address, user_agent) "
                   "VALUES ($1,$2,$3,$4,$5,$6,$7)",
                   {event.shareId, PgParam(event.at), event.event, event.outcome, event.actor, event.clientAddress,
                    event.userAgent});
  }

  PostgresShareStore::PostgresShareStore(const PostgresSettings& settings, int64_t startupWaitSeconds)
    : pool_(settings), listener_(settings)
  {
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(startupWaitSeconds);
    for (;;)
    {
      try
      {
        PostgresPool::Lease connection = pool_.Acquire();
        postgres_schema::Migrate(*connection);
        return;
      }
      catch (const StoreUnavailable&)
      {
        if (std::chrono::steady_clock::now() >= giveUp)
        {
          throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
    }
  }

  int PostgresShareStore::CurrentSchemaVersion()
  {
    return postgres_schema::CurrentVersion();
  }

  int PostgresShareStore::GetSchemaVersion()
  {
    PostgresPool::Lease connection = pool_.Acquire();
    return postgres_schema::ReadVersion(*connection);
  }

  void PostgresShareStore::Create(const Share& share, const AuditEvent& created)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    connection->Run("share_insert",
                    "INSERT INTO studyshare_shares (id, created_at, expires_at, revoked_at, permissions, max_uses, "
                    "uses, password_hash, require_birth_date, access_code_hash, anonymize, viewer, created_by, note, "
                    "recipient, token_type, anonymization, require_email_code, kind, inbox_limits) "
                    "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)",
                    {share.id,
                     PgParam(share.createdAt),
                     PgParam(share.expiresAt),
                     PgParam(share.revokedAt),
                     PgParam(static_cast<int64_t>(share.permissions)),
                     PgParam(share.maxUses),
                     PgParam(share.uses),
                     share.passwordHash,
                     Bool(share.requireBirthDate),
                     share.accessCodeHash,
                     Bool(share.anonymize),
                     share.viewer,
                     share.createdBy,
                     share.note,
                     share.recipientJson,
                     share.tokenType,
                     share.anonymize ? share.anonymization.ToJson() : std::string(),
                     Bool(share.requireEmailCode),
                     std::string(share.IsInbox() ? "inbox" : "share"),
                     share.IsInbox() ? share.inboxLimits.ToJson() : std::string()});
    InsertStudies(*connection, share.id, share.studies);
    InsertAudit(*connection, created);
    transaction.Commit();
  }

  bool PostgresShareStore::UpdateAnonymization(const std::string& id, const ShareAnonymization& anonymization,
                                               const std::optional<std::vector<SharedStudy>>& studies,
                                               const std::optional<AuditEvent>& event)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    PgResult updated = connection->Run("share_anonymization",
                                       "UPDATE studyshare_shares SET anonymization = $1 WHERE id = $2 AND anonymize",
                                       {anonymization.ToJson(), id});
    if (updated.Affected() != 1)
    {
      return false;
    }
    if (studies)
    {
      connection->Run("studies_delete", "DELETE FROM studyshare_share_studies WHERE share_id = $1", {id});
      InsertStudies(*connection, id, *studies);
    }
    if (event)
    {
      InsertAudit(*connection, *event);
    }
    transaction.Commit();
    return true;
  }

  std::optional<Share> PostgresShareStore::Lookup(const std::string& id)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult rows = connection->Run(
      "share_by_id", (std::string("SELECT ") + kShareColumns + " FROM studyshare_shares WHERE id = $1").c_str(), {id});
    std::vector<Share> shares = ReadShares(*connection, rows);
    if (shares.empty())
    {
      return std::nullopt;
    }
    return std::move(shares.front());
  }

  std::vector<Share> PostgresShareStore::List(const ShareFilter& filter)
  {
    // One prepared statement for every filter: an absent criterion is NULL.
    static const std::string sql =
      std::string("SELECT ") + kShareColumns +
      " FROM studyshare_shares WHERE "
      "($1::text IS NULL OR id IN (SELECT share_id FROM studyshare_share_studies WHERE orthanc_id = $1)) "
      "AND ($2::text IS NULL OR created_by = $2) "
      "AND ($3::bigint IS NULL OR (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3) "
      "AND (max_uses IS NULL OR uses < max_uses))) "
      "ORDER BY created_at DESC, id";
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult rows = connection->Run("share_list", sql.c_str(),
                                    {filter.studyOrthancId, filter.createdBy,
                                     filter.activeOnly ? PgParam(filter.now) : std::optional<std::string>()});
    return ReadShares(*connection, rows);
  }

  bool PostgresShareStore::Revoke(const std::string& id, int64_t now, const AuditEvent& revoked)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    PgResult exists = connection->Run("share_exists", "SELECT 1 FROM studyshare_shares WHERE id = $1", {id});
    if (exists.Rows() == 0)
    {
      return false;
    }
    connection->Run("share_revoke", "UPDATE studyshare_shares SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                    {PgParam(now), id});
    InsertAudit(*connection, revoked);
    transaction.Commit();
    return true;
  }

  std::optional<Share> PostgresShareStore::FindByAccessCode(const std::string& codeDigest)
  {
    std::string id;
    {
      PostgresPool::Lease connection = pool_.Acquire();
      PgResult rows = connection->Run(
        "share_by_code", "SELECT id FROM studyshare_shares WHERE access_code_hash = $1 AND access_code_hash <> ''",
        {codeDigest});
      if (rows.Rows() == 0)
      {
        return std::nullopt;
      }
      id = rows.GetString(0, 0);
    }
    return Lookup(id);
  }

  bool PostgresShareStore::ConsumeUse(const std::string& id)
  {
    // One statement: the row lock makes parallel opens on any node count
    // one after another, and the condition sees the committed count.
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult result = connection->Run(
      "share_consume",
      "UPDATE studyshare_shares SET uses = uses + 1 WHERE id = $1 AND (max_uses IS NULL OR uses < max_uses)", {id});
    return result.Affected() == 1;
  }

  bool PostgresShareStore::ReplaceAccessCode(const std::string& id, const std::string& codeDigest,
                                             const AuditEvent& replaced)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    PgResult updated = connection->Run(
      "share_code_replace", "UPDATE studyshare_shares SET access_code_hash = $1 WHERE id = $2", {codeDigest, id});
    if (updated.Affected() != 1)
    {
      return false;
    }
    InsertAudit(*connection, replaced);
    transaction.Commit();
    return true;
  }

  void PostgresShareStore::AppendAudit(const AuditEvent& event)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    InsertAudit(*connection, event);
  }

  std::vector<AuditEvent> PostgresShareStore::ListAudit(const std::string& shareId)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult rows = connection->Run("audit_list",
                                    "SELECT share_id, at, event, outcome, actor, client_address, user_agent "
                                    "FROM studyshare_audit WHERE share_id = $1 ORDER BY seq",
                                    {shareId});
    std::vector<AuditEvent> events;
    for (int row = 0; row < rows.Rows(); row++)
    {
      events.push_back({rows.GetString(row, 0), rows.GetInt(row, 1), rows.GetString(row, 2), rows.GetString(row, 3),
                        rows.GetString(row, 4), rows.GetString(row, 5), rows.GetString(row, 6)});
    }
    return events;
  }
}
