package io.prophecy.sdk.security;

import com.google.crypto.tink.Aead;

/**
 * Supplies the key-encryption key (KEK) that protects the vault's keyset. The vault's own data keys
 * live in the metadata store, encrypted by this key, so every process that shares a store must use
 * the same key provider.
 *
 * <p>The default is {@link KeyProviders#masterKeyFile}. A cloud KMS plugs in by returning its
 * {@link Aead} (Tink ships them for AWS KMS, Google Cloud KMS and HashiCorp Vault):
 *
 * <pre>{@code
 * Prophecy.builder().keyProvider(KeyProviders.of("aws-kms key arn:...", awsKmsAead)).build();
 * }</pre>
 */
public interface KeyProvider {
  /** The key-encryption key. Called once when the SDK opens; may block on a remote KMS. */
  Aead keyEncryptionKey();

  /** What the key is, for messages (a path, a KMS key id); never key material. */
  String describe();
}
