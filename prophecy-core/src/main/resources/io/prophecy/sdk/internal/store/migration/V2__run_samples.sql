-- Samples of gem outputs, kept only for fabrics that opt in (setting storeSamples=true). Each is
-- encrypted by the vault, bound to its run and gem.
CREATE TABLE run_samples (
  run_id      VARCHAR(36)  NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  gem         VARCHAR(200) NOT NULL,
  ciphertext  TEXT         NOT NULL,
  PRIMARY KEY (run_id, gem)
);
