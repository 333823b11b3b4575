package io.prophecy.sdk.security;

import com.google.crypto.tink.Aead;
import io.prophecy.sdk.internal.security.MasterKeyFile;
import java.nio.file.Path;
import java.util.Objects;

/** Ready-made key providers. */
public final class KeyProviders {
  private KeyProviders() {}

  /**
   * A master key kept in a file readable only by its owner (mode 600), made with a fresh AES-256-GCM
   * key on first use. A file readable by others is refused. Back the file up: without it, stored
   * credentials cannot be decrypted.
   */
  public static KeyProvider masterKeyFile(Path file) {
    return new MasterKeyFile(file);
  }

  /** A key provider over an AEAD from elsewhere, such as a cloud KMS client. */
  public static KeyProvider of(String description, Aead kek) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(kek, "kek");
    return new KeyProvider() {
      @Override
      public Aead keyEncryptionKey() {
        return kek;
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public String toString() {
        return "KeyProvider[" + description + "]";
      }
    };
  }
}
