package io.prophecy.sdk.git.provider;

import java.util.Objects;

/**
 * A repository the provider created.
 *
 * @param kind the provider
 * @param owner the owner as in {@link RemoteUrl#owner()}
 * @param project the Azure DevOps project, or {@code null}
 * @param name the repository's name (slug)
 * @param cloneUrl the HTTPS clone URL the provider answered
 * @param webUrl the repository's page
 * @param isPrivate whether only members can see it
 */
public record Repository(ProviderKind kind, String owner, String project, String name, String cloneUrl,
    String webUrl, boolean isPrivate) {
  public Repository {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cloneUrl, "cloneUrl");
  }
}
