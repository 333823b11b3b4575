-- Git: each user's personal access tokens per Git host (encrypted by the vault, bound to user and host),
-- and each project's default branch and whether commits on it are refused.
CREATE TABLE git_credentials (
  user_id     VARCHAR(36)  NOT NULL REFERENCES users(id),
  host        VARCHAR(260) NOT NULL,
  ciphertext  TEXT         NOT NULL,
  updated_at  BIGINT       NOT NULL,
  PRIMARY KEY (user_id, host)
);

ALTER TABLE projects ADD COLUMN default_branch VARCHAR(200);
ALTER TABLE projects ADD COLUMN protect_default_branch INTEGER NOT NULL DEFAULT 0;
