package io.prophecy.sdk.security;

/**
 * The host application's view of the vault that encrypts every stored credential (Tink AEAD,
 * AES-256-GCM). Reached through {@code prophecy.vault()}.
 *
 * <p>Rotation adds a new primary key; ciphertexts made under older keys stay readable.
 * {@link #reencryptAll()} then moves every stored credential to the new key.
 */
public interface Vault {
  /** Adds a new AES-256-GCM key and makes it the primary; returns its key id. */
  int rotateKey();

  /** Re-encrypts every stored credential under the primary key; returns how many were rewritten. */
  int reencryptAll();

  /** The id of the key new ciphertexts are made with. */
  int primaryKeyId();

  /** How many keys the keyset holds (the primary and the older ones kept for reading). */
  int keyCount();
}
