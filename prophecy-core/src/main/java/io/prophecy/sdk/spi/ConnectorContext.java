package io.prophecy.sdk.spi;

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
}
