package io.prophecy.sdk.internal.security;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.prophecy.sdk.VaultException;
import java.security.GeneralSecurityException;

/** Registers Tink's key types once per class loader. */
public final class Tink {
  private static volatile boolean registered;

  private Tink() {}

  /** The configuration primitives are made with: Tink's stable V0 set. */
  public static com.google.crypto.tink.Configuration configuration() {
    init();
    try {
      return com.google.crypto.tink.ConfigurationV0.get();
    } catch (GeneralSecurityException e) {
      throw new VaultException("Tink's configuration is unavailable: " + e.getMessage(), e);
    }
  }

  public static void init() {
    if (registered) {
      return;
    }
    synchronized (Tink.class) {
      if (!registered) {
        try {
          AeadConfig.register();
          StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
          throw new VaultException("Tink could not register its AEAD key types: " + e.getMessage(), e);
        }
        registered = true;
      }
    }
  }
}
