package io.prophecy.sdk;

/**
 * The Git host refused the acting user's credentials, or asked for credentials the user has not
 * stored. Store a valid token with {@code session.gitCredentials().set(host, token)}.
 */
public class GitAuthenticationException extends GitException {
  private static final long serialVersionUID = 1L;

  public GitAuthenticationException(String message) {
    super(message);
  }

  public GitAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
