package io.prophecy.sdk.spi;

import io.prophecy.sdk.model.Credentials;
import java.nio.file.Path;
import java.time.Clock;

/** What the SDK offers a connection. Grows only by default methods. */
public interface ConnectorContext {
  /** The user agent to send on HTTP calls, naming the SDK and its version. */
  String userAgent();

  /** A folder of this fabric and user under the SDK home, for the connector's own files. */
  Path workDirectory();

  /** The e-mail of the user the connection acts for, for impersonation settings and audit. */
  String userEmail();

  default Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Merges fields into the acting user's stored credentials for this fabric, for a connector that
   * obtains credentials itself (a personal access token it generated and rotates). The fields given
   * replace those of the same name; the others stay as they are. The merged credentials are checked
   * against the kind's credential fields, encrypted by the vault for this user and fabric, and the
   * change is audited with the field names only, never the values. Only the acting user's credentials
   * change; the connection itself keeps the credentials it was opened with.
   *
   * <pre>{@code
   * context.storeCredentials(Credentials.builder()
   *     .put("generatedToken", Secret.of(created.value()))
   *     .put("generatedTokenId", created.id())
   *     .build());
   * }</pre>
   *
   * @param fields the fields to set; secret fields are stored as secrets
   * @throws UnsupportedOperationException when the context cannot store credentials (the default, for
   *     contexts made outside the SDK's own {@code Fabric.connect()})
   * @throws io.prophecy.sdk.InvalidInputException when a field is not one the kind takes
   * @throws io.prophecy.sdk.NotFoundException when the user has no stored credentials for the fabric
   *     any more, or the fabric was deleted
   */
  default void storeCredentials(Credentials fields) {
    throw new UnsupportedOperationException("this connector context cannot store credentials; connect through"
        + " Fabric.connect() for a context that stores them in the vault");
  }
}
