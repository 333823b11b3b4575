package io.prophecy.sdk.git.provider;

import java.util.Objects;

/**
 * A validated HTTPS remote URL of a repository on a known provider, split into the parts the provider
 * models.
 *
 * <ul>
 *   <li>{@code owner}: the GitHub/Gitea user or organization, the GitLab namespace (group and subgroups,
 *       joined by {@code /}), the Bitbucket Cloud workspace, the Bitbucket Server project key (or
 *       {@code ~user} for a personal repository), the Azure DevOps organization (or collection).
 *   <li>{@code project}: the Azure DevOps project; {@code null} for the other providers.
 *   <li>{@code name}: the repository (slug), without {@code .git}.
 * </ul>
 *
 * @param kind the provider
 * @param baseUrl the provider's web base URL, without a trailing slash, e.g. {@code https://github.com}
 * @param owner see above
 * @param project see above
 * @param name see above
 * @param httpsUrl the canonical HTTPS clone URL, without credentials
 */
public record RemoteUrl(ProviderKind kind, String baseUrl, String owner, String project, String name, String httpsUrl) {
  public RemoteUrl {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(httpsUrl, "httpsUrl");
  }

  /** The repository's full name as the provider shows it: {@code owner/name}, or {@code org/project/name}. */
  public String fullName() {
    return project == null ? owner + "/" + name : owner + "/" + project + "/" + name;
  }
}
