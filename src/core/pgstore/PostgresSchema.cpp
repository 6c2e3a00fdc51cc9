// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresSchema.h"

#include "IShareStore.h"

namespace studyshare::postgres_schema
{
  namespace
  {
    // Any fixed number; every StudyShare node takes the same one.
    constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7305202611)";
    constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7305202611)";

    // Each entry moves the schema one version forward; never edit a shipped one.
    const char* const kMigrations[] = {
      R"(CREATE TABLE studyshare_shares (
           id TEXT PRIMARY KEY,
           created_at BIGINT NOT NULL,
           expires_at BIGINT,
           revoked_at BIGINT,
           permissions INTEGER NOT NULL,
           max_uses BIGINT,
           uses BIGINT NOT NULL DEFAULT 0,
           password_hash TEXT NOT NULL DEFAULT '',
           require_birth_date BOOLEAN NOT NULL DEFAULT FALSE,
           access_code_hash TEXT NOT NULL DEFAULT '',
           anonymize BOOLEAN NOT NULL DEFAULT FALSE,
           viewer TEXT NOT NULL DEFAULT '',
           created_by TEXT NOT NULL DEFAULT '',
           note TEXT NOT NULL DEFAULT '',
           recipient TEXT NOT NULL DEFAULT '',
           token_type TEXT NOT NULL DEFAULT '');
         CREATE INDEX studyshare_shares_by_access_code ON studyshare_shares(access_code_hash)
           WHERE access_code_hash <> '';
         CREATE TABLE studyshare_share_studies (
           share_id TEXT NOT NULL REFERENCES studyshare_shares(id) ON DELETE CASCADE,
           position INTEGER NOT NULL,
           orthanc_id TEXT NOT NULL,
           dicom_uid TEXT NOT NULL,
           patient_name TEXT NOT NULL DEFAULT '',
           patient_id TEXT NOT NULL DEFAULT '',
           study_date TEXT NOT NULL DEFAULT '',
           study_description TEXT NOT NULL DEFAULT '',
           PRIMARY KEY (share_id, position));
         CREATE INDEX studyshare_share_studies_by_study ON studyshare_share_studies(orthanc_id);
         CREATE TABLE studyshare_audit (
           seq BIGSERIAL PRIMARY KEY,
           share_id TEXT NOT NULL,
           at BIGINT NOT NULL,
           event TEXT NOT NULL,
           outcome TEXT NOT NULL,
           actor TEXT NOT NULL DEFAULT '',
           client_address TEXT NOT NULL DEFAULT '',
           user_agent TEXT NOT NULL DEFAULT '');
         CREATE INDEX studyshare_audit_by_share ON studyshare_audit(share_id, seq);
         CREATE TABLE studyshare_failed_attempts (
           seq BIGSERIAL PRIMARY KEY,
           share_id TEXT NOT NULL,
           client_address TEXT NOT NULL,
           at BIGINT NOT NULL);
         CREATE INDEX studyshare_failed_attempts_by_share ON studyshare_failed_attempts(share_id, at);
         CREATE TABLE studyshare_code_guesses (
           seq BIGSERIAL PRIMARY KEY,
           client_address TEXT NOT NULL,
           at BIGINT NOT NULL);
         CREATE INDEX studyshare_code_guesses_by_client ON studyshare_code_guesses(client_address, at);
         CREATE INDEX studyshare_code_guesses_by_time ON studyshare_code_guesses(at);
         CREATE TABLE studyshare_staff_sessions (
           key TEXT PRIMARY KEY,
           user_name TEXT NOT NULL,
           role TEXT NOT NULL,
           last_seen BIGINT NOT NULL);
         CREATE FUNCTION studyshare_announce_share_change() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           PERFORM pg_notify('studyshare_share_changes', OLD.id);
           RETURN NULL;
         END $$;
         CREATE TRIGGER studyshare_share_changed AFTER UPDATE OR DELETE ON studyshare_shares
           FOR EACH ROW EXECUTE FUNCTION studyshare_announce_share_change();)",
      R"(ALTER TABLE studyshare_share_studies ADD COLUMN level TEXT NOT NULL DEFAULT 'study';)",
      R"(CREATE TABLE studyshare_api_keys (
           id TEXT PRIMARY KEY,
           name TEXT NOT NULL,
           role TEXT NOT NULL,
           digest TEXT NOT NULL UNIQUE,
           created_by TEXT NOT NULL DEFAULT '',
           created_at BIGINT NOT NULL,
           expires_at BIGINT,
           last_used_at BIGINT,
           revoked_at BIGINT);)",
      R"(ALTER TABLE studyshare_shares ADD COLUMN anonymization TEXT NOT NULL DEFAULT '';)",
      R"(ALTER TABLE studyshare_share_studies ADD COLUMN accession_number TEXT NOT NULL DEFAULT '';)",
      R"(CREATE TABLE studyshare_short_keys (
           share_id TEXT PRIMARY KEY,
           digest TEXT NOT NULL UNIQUE);
         ALTER TABLE studyshare_shares ADD COLUMN require_email_code BOOLEAN NOT NULL DEFAULT FALSE;)",
      R"(ALTER TABLE studyshare_shares ADD COLUMN kind TEXT NOT NULL DEFAULT 'share';
         ALTER TABLE studyshare_shares ADD COLUMN inbox_limits TEXT NOT NULL DEFAULT '';
         CREATE TABLE studyshare_inbox_usage (
           share_id TEXT PRIMARY KEY,
           bytes BIGINT NOT NULL DEFAULT 0,
           files BIGINT NOT NULL DEFAULT 0);
         CREATE TABLE studyshare_inbox_studies (
           study_uid TEXT PRIMARY KEY,
           share_id TEXT NOT NULL);
         CREATE TABLE studyshare_inbox_instances (
           sop_uid TEXT PRIMARY KEY,
           share_id TEXT NOT NULL,
           study_uid TEXT NOT NULL,
           series_uid TEXT NOT NULL DEFAULT '',
           orthanc_instance_id TEXT NOT NULL DEFAULT '',
           orthanc_study_id TEXT NOT NULL DEFAULT '',
           patient_name TEXT NOT NULL DEFAULT '',
           patient_id TEXT NOT NULL DEFAULT '',
           study_date TEXT NOT NULL DEFAULT '',
           study_description TEXT NOT NULL DEFAULT '',
           modality TEXT NOT NULL DEFAULT '',
           bytes BIGINT NOT NULL,
           at BIGINT NOT NULL,
           done BOOLEAN NOT NULL DEFAULT FALSE);
         CREATE INDEX studyshare_inbox_instances_by_share ON studyshare_inbox_instances(share_id, study_uid);)",
    };
  }

  int CurrentVersion()
  {
    return static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
  }

  int ReadVersion(PgConnection& connection)
  {
    PgResult result =
      connection.Run("schema_version", "SELECT COALESCE(MAX(version), 0) FROM studyshare_schema_version", {});
    return static_cast<int>(result.GetInt(0, 0));
  }

  void Migrate(PgConnection& connection)
  {
    connection.Execute(kMigrationLock);
    try
    {
      connection.Execute("CREATE TABLE IF NOT EXISTS studyshare_schema_version (version INTEGER PRIMARY KEY)");
      const int version = ReadVersion(connection);
      if (version > CurrentVersion())
      {
        throw StoreUnavailable("the share store was written by a newer StudyShare (schema version " +
                               std::to_string(version) + ")");
      }
      for (int next = version; next < CurrentVersion(); next++)
      {
        connection.Execute(std::string("BEGIN; ") + kMigrations[next] +
                           "; INSERT INTO studyshare_schema_version (version) VALUES (" + std::to_string(next + 1) +
                           "); COMMIT;");
      }
    }
    catch (...)
    {
      if (!connection.IsBroken())
      {
        connection.Execute("ROLLBACK");
        connection.Execute(kMigrationUnlock);
      }
      throw;
    }
    connection.Execute(kMigrationUnlock);
  }
}
