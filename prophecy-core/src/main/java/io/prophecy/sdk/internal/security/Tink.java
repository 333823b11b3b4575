package io.prophecy.sdk.internal.security;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.aead.AeadConfig2026;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig2026;

/** The Tink configuration the vault makes, parses and uses keys with. */
public final class Tink {
  private Tink() {}

  /** Tink's current recommended AEAD configuration (AES-256-GCM among it). */
  public static Configuration aead() {
    return AeadConfig2026.get();
  }

  /** Tink's current recommended streaming AEAD configuration (AES-256-GCM-HKDF among it): the code cache's. */
  public static Configuration streamingAead() {
    return StreamingAeadConfig2026.get();
  }
}
