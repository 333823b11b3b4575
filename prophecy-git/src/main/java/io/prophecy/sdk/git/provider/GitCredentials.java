package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.model.Credentials;
import io.prophecy.sdk.model.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's credentials for one provider host: a personal access token and, where the provider needs one,
 * the user's name on that host (GitHub login, Bitbucket Server user, Gitea login, or the Atlassian
 * account e-mail that Bitbucket Cloud's REST API takes beside an API token).
 *
 * <p>They come from the user's credentials in the vault, stored per provider host ({@link
 * GitProvider#host()}) with the fields {@value #TOKEN_FIELD} (secret) and, optionally, {@value
 * #USERNAME_FIELD} and {@value #EMAIL_FIELD}. {@code toString()} never shows the token.
 *
 * @param username the user's name on the host, or {@code null}
 * @param email the user's e-mail (Bitbucket Cloud API tokens), or {@code null}
 * @param token the personal access token
 */
public record GitCredentials(String username, String email, Secret token) {
  /** The credential field holding the token. */
  public static final String TOKEN_FIELD = "token";
  /** The credential field holding the user name on the provider host. */
  public static final String USERNAME_FIELD = "username";
  /** The credential field holding the account e-mail (Bitbucket Cloud API tokens). */
  public static final String EMAIL_FIELD = "email";

  public GitCredentials {
    Objects.requireNonNull(token, "token");
    username = blankToNull(username);
    email = blankToNull(email);
  }

  /** A token alone. */
  public static GitCredentials token(Secret token) {
    return new GitCredentials(null, null, token);
  }

  /** A token with the user's name on the host. */
  public static GitCredentials of(String username, Secret token) {
    return new GitCredentials(username, null, token);
  }

  /**
   * Reads the fields {@value #TOKEN_FIELD}, {@value #USERNAME_FIELD} and {@value #EMAIL_FIELD} of stored
   * credentials.
   *
   * @throws InvalidInputException when there is no secret {@value #TOKEN_FIELD} field
   */
  public static GitCredentials from(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    Secret token = credentials.secret(TOKEN_FIELD).orElseThrow(() -> new InvalidInputException(
        "credentials." + TOKEN_FIELD,
        "no personal access token stored; store it as the secret field '" + TOKEN_FIELD + "' (fields present: "
            + credentials.fields() + ")"));
    return new GitCredentials(credentials.get(USERNAME_FIELD).orElse(null),
        credentials.get(EMAIL_FIELD).orElse(null), token);
  }

  /** The user name, when given. */
  public Optional<String> usernameIfSet() {
    return Optional.ofNullable(username);
  }

  @Override
  public String toString() {
    return "GitCredentials[username=" + username + ", email=" + email + ", token=" + token + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
