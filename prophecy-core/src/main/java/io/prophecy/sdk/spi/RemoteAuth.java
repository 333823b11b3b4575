package io.prophecy.sdk.spi;

import io.prophecy.sdk.model.Secret;
import java.util.Objects;
import java.util.Optional;

/**
 * How to authenticate to a Git host over HTTP: a user name and a personal access token (sent as HTTP
 * basic auth), or nothing for a public remote or a local path. {@code toString()} never shows the token.
 *
 * @param host the host the credentials are for, with {@code :port} when the URL names one; empty for none
 */
public record RemoteAuth(String host, Optional<String> username, Optional<Secret> token) {
  public RemoteAuth {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(token, "token");
  }

  /** No credentials. */
  public static RemoteAuth none() {
    return new RemoteAuth("", Optional.empty(), Optional.empty());
  }

  /** A user name and token for a host. */
  public static RemoteAuth token(String host, String username, Secret token) {
    return new RemoteAuth(host, Optional.of(username), Optional.of(token));
  }

  public boolean isPresent() {
    return token.isPresent();
  }

  @Override
  public String toString() {
    return token.isEmpty() ? "RemoteAuth[none]" : "RemoteAuth[" + host + ", " + username.orElse("") + ", ****]";
  }
}
