package io.prophecy.sdk.git.provider;

import java.util.Objects;

/**
 * Who a token belongs to, as the provider answers "who am I".
 *
 * @param username the login (GitHub, GitLab, Gitea), the user name (Bitbucket Server), the nickname
 *     (Bitbucket Cloud) or the public alias (Azure DevOps)
 * @param displayName the display name, or {@code null} when the provider gives none
 * @param id the provider's stable id of the account, as text
 */
public record Account(String username, String displayName, String id) {
  public Account {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(id, "id");
  }
}
