package io.prophecy.sdk;

import io.prophecy.sdk.model.Credentials;
import java.util.Optional;

/**
 * The acting user's credentials for one fabric, stored only encrypted by the vault and bound to the
 * user and fabric. Every member manages their own; nobody, admins included, reads another's.
 */
public interface FabricCredentials {
  /**
   * Stores (or replaces) the user's credentials, after checking them against the fabric kind's
   * credential fields: unknown fields and missing required ones are refused, and fields the kind
   * declares secret are stored as secrets.
   */
  void set(Credentials credentials);

  /** The user's stored credentials, decrypted. Audited. */
  Optional<Credentials> get();

  /** Whether the user has stored credentials for this fabric, without decrypting them. */
  boolean isSet();

  /** Deletes the user's credentials; returns whether there were any. */
  boolean clear();
}
