// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteMigrations.h"

#include <iterator>

namespace studyshare
{
  // Each entry moves the schema one version forward; never edit a shipped one.
  // Append a new version at the end, one self-contained entry.
  const char* const kSqliteMigrations[] = {
    R"(CREATE TABLE shares (
         id TEXT PRIMARY KEY,
         created_at INTEGER NOT NULL,
         expires_at INTEGER,
         revoked_at INTEGER,
         permissions INTEGER NOT NULL,
         max_uses INTEGER,
         uses INTEGER NOT NULL DEFAULT 0,
         password_hash TEXT NOT NULL DEFAULT '',
         require_birth_date INTEGER NOT NULL DEFAULT 0,
         access_code_hash TEXT NOT NULL DEFAULT '',
         anonymize INTEGER NOT NULL DEFAULT 0,
         viewer TEXT NOT NULL DEFAULT '',
         created_by TEXT NOT NULL DEFAULT '',
         note TEXT NOT NULL DEFAULT '',
         recipient TEXT NOT NULL DEFAULT '');
       CREATE TABLE share_studies (
         share_id TEXT NOT NULL REFERENCES shares(id) ON DELETE CASCADE,
         position INTEGER NOT NULL,
         orthanc_id TEXT NOT NULL,
         dicom_uid TEXT NOT NULL,
         patient_name TEXT NOT NULL DEFAULT '',
         patient_id TEXT NOT NULL DEFAULT '',
         study_date TEXT NOT NULL DEFAULT '',
         study_description TEXT NOT NULL DEFAULT '',
         PRIMARY KEY (share_id, position));
       CREATE INDEX share_studies_by_study ON share_studies(orthanc_id);
       CREATE TABLE audit (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         share_id TEXT NOT NULL,
         at INTEGER NOT NULL,
         event TEXT NOT NULL,
         outcome TEXT NOT NULL,
         actor TEXT NOT NULL DEFAULT '',
         client_address TEXT NOT NULL DEFAULT '',
         user_agent TEXT NOT NULL DEFAULT '');
       CREATE INDEX audit_by_share ON audit(share_id, seq);)",
    R"(CREATE INDEX shares_by_access_code ON shares(access_code_hash) WHERE access_code_hash != '';
       CREATE TABLE failed_attempts (
         share_id TEXT NOT NULL,
         client_address TEXT NOT NULL,
         at INTEGER NOT NULL);
       CREATE INDEX failed_attempts_by_share ON failed_attempts(share_id, at);)",
    R"(ALTER TABLE shares ADD COLUMN token_type TEXT NOT NULL DEFAULT '';)",
    R"(CREATE TABLE code_guesses (
         client_address TEXT NOT NULL,
         at INTEGER NOT NULL);
       CREATE INDEX code_guesses_by_client ON code_guesses(client_address, at);
       CREATE INDEX code_guesses_by_time ON code_guesses(at);)",
    R"(ALTER TABLE share_studies ADD COLUMN level TEXT NOT NULL DEFAULT 'study';)",
    R"(CREATE TABLE api_keys (
         id TEXT PRIMARY KEY,
         name TEXT NOT NULL,
         role TEXT NOT NULL,
         digest TEXT NOT NULL UNIQUE,
         created_by TEXT NOT NULL DEFAULT '',
         created_at INTEGER NOT NULL,
         expires_at INTEGER,
         last_used_at INTEGER,
         revoked_at INTEGER);)",
    R"(ALTER TABLE shares ADD COLUMN anonymization TEXT NOT NULL DEFAULT '';)",
    R"(ALTER TABLE share_studies ADD COLUMN accession_number TEXT NOT NULL DEFAULT '';)",
    R"(CREATE TABLE short_keys (
         share_id TEXT PRIMARY KEY,
         digest TEXT NOT NULL UNIQUE);
       ALTER TABLE shares ADD COLUMN require_email_code INTEGER NOT NULL DEFAULT 0;)",
    R"(ALTER TABLE shares ADD COLUMN kind TEXT NOT NULL DEFAULT 'share';
       ALTER TABLE shares ADD COLUMN inbox_limits TEXT NOT NULL DEFAULT '';
       CREATE TABLE inbox_usage (
         share_id TEXT PRIMARY KEY,
         bytes INTEGER NOT NULL DEFAULT 0,
         files INTEGER NOT NULL DEFAULT 0);
       CREATE TABLE inbox_studies (
         study_uid TEXT PRIMARY KEY,
         share_id TEXT NOT NULL);
       CREATE TABLE inbox_instances (
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
         bytes INTEGER NOT NULL,
         at INTEGER NOT NULL,
         done INTEGER NOT NULL DEFAULT 0);
       CREATE INDEX inbox_instances_by_share ON inbox_instances(share_id, study_uid);)",
  };

  const size_t kSqliteMigrationCount = std::size(kSqliteMigrations);
}
