-- The metadata store: tenancy, fabrics, credentials (encrypted), the project registry, run history,
-- the audit log and the vault's keysets. ${identity} is the dialect's auto-increment primary key.

CREATE TABLE users (
  id          VARCHAR(36)  PRIMARY KEY,
  email       VARCHAR(320) NOT NULL UNIQUE,
  created_at  BIGINT       NOT NULL
);

CREATE TABLE teams (
  id              VARCHAR(36)  PRIMARY KEY,
  name            VARCHAR(100) NOT NULL UNIQUE,
  personal_owner  VARCHAR(36)  UNIQUE REFERENCES users(id),
  created_at      BIGINT       NOT NULL
);

CREATE TABLE memberships (
  team_id     VARCHAR(36) NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id     VARCHAR(36) NOT NULL REFERENCES users(id),
  role        VARCHAR(16) NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
  since       BIGINT      NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships(user_id);

CREATE TABLE fabrics (
  id           VARCHAR(36) PRIMARY KEY,
  team_id      VARCHAR(36) NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name         VARCHAR(64) NOT NULL,
  kind         VARCHAR(32) NOT NULL,
  description  TEXT,
  settings     TEXT        NOT NULL,
  created_by   VARCHAR(36) NOT NULL REFERENCES users(id),
  created_at   BIGINT      NOT NULL,
  UNIQUE (team_id, name)
);

CREATE TABLE credentials (
  fabric_id   VARCHAR(36) NOT NULL REFERENCES fabrics(id) ON DELETE CASCADE,
  user_id     VARCHAR(36) NOT NULL REFERENCES users(id),
  ciphertext  TEXT        NOT NULL,
  updated_at  BIGINT      NOT NULL,
  PRIMARY KEY (fabric_id, user_id)
);

CREATE TABLE projects (
  id            VARCHAR(36) PRIMARY KEY,
  team_id       VARCHAR(36) NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name          VARCHAR(64) NOT NULL,
  description   TEXT,
  language      VARCHAR(16) NOT NULL,
  working_copy  TEXT        NOT NULL,
  git_remote    TEXT,
  created_by    VARCHAR(36) NOT NULL REFERENCES users(id),
  created_at    BIGINT      NOT NULL,
  UNIQUE (team_id, name)
);

CREATE TABLE runs (
  id           VARCHAR(36) PRIMARY KEY,
  project_id   VARCHAR(36) NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  pipeline     VARCHAR(64) NOT NULL,
  fabric_id    VARCHAR(36) NOT NULL,
  user_id      VARCHAR(36) NOT NULL REFERENCES users(id),
  status       VARCHAR(16) NOT NULL,
  started_at   BIGINT      NOT NULL,
  finished_at  BIGINT,
  error        TEXT
);
CREATE INDEX runs_by_project ON runs(project_id, started_at);

CREATE TABLE run_metrics (
  run_id       VARCHAR(36)  NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  gem          VARCHAR(200) NOT NULL,
  port         VARCHAR(64)  NOT NULL,
  row_count    BIGINT       NOT NULL,
  duration_ms  BIGINT       NOT NULL,
  PRIMARY KEY (run_id, gem, port)
);

CREATE TABLE audit_log (
  seq      ${identity},
  at       BIGINT       NOT NULL,
  actor    VARCHAR(320) NOT NULL,
  action   VARCHAR(64)  NOT NULL,
  target   TEXT         NOT NULL,
  team_id  VARCHAR(36),
  outcome  VARCHAR(16)  NOT NULL,
  detail   TEXT
);
CREATE INDEX audit_by_team ON audit_log(team_id, seq);

CREATE TABLE vault_keysets (
  name        VARCHAR(64) PRIMARY KEY,
  keyset      TEXT        NOT NULL,
  updated_at  BIGINT      NOT NULL
);
