package io.prophecy.sdk;

/**
 * A Git remote failed: it could not be reached, refused the credentials, or refused a push. The
 * message names the remote's host and says what to do next; it never holds a token. A failure on the
 * way (a cut connection) may be retried: pushing and fetching what the remote has already is no error.
 */
public class GitException extends ConnectorException {
  private static final long serialVersionUID = 1L;

  public GitException(String message) {
    super("git", message);
  }

  public GitException(String message, Throwable cause) {
    super("git", message, cause);
  }
}
