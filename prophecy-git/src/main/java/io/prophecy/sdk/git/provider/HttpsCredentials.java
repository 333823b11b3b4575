package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The HTTP basic credentials Git sends to a provider over HTTPS: the user name the provider expects and
 * the personal access token as the password. {@code toString()} masks the password.
 *
 * <pre>{@code
 * HttpsCredentials https = provider.httpsCredentials(creds);
 * CredentialsProvider jgit = new UsernamePasswordCredentialsProvider(https.username(), https.passwordChars());
 * }</pre>
 *
 * @param username the user name, possibly empty where the provider documents an empty one (Azure DevOps)
 * @param password the token
 */
public record HttpsCredentials(String username, Secret password) {
  public HttpsCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** A fresh copy of the password's characters, for APIs that take a {@code char[]} and clear it after use. */
  public char[] passwordChars() {
    return password.reveal().toCharArray();
  }

  /** The value of an {@code Authorization: Basic ...} header for these credentials. */
  public String basicAuthorization() {
    String pair = username + ":" + password.reveal();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "HttpsCredentials[username=" + username + ", password=" + password + "]";
  }
}
