package io.prophecy.sdk.internal.security;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.aead.AeadConfig2026;

/** The Tink configuration the vault makes, parses and uses keys with. */
public final class Tink {
  private Tink() {}

  /** Tink's current recommended AEAD configuration (AES-256-GCM among it). */
  public static Configuration aead() {
    return AeadConfig2026.get();
  }
}
