package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Git hosting providers the SDK knows, each with a stable id used in settings and messages. */
public enum ProviderKind {
  /** GitHub (github.com) and GitHub Enterprise Server. */
  GITHUB("github", "GitHub"),
  /** GitLab (gitlab.com) and self-managed GitLab. */
  GITLAB("gitlab", "GitLab"),
  /** Bitbucket Cloud (bitbucket.org). */
  BITBUCKET_CLOUD("bitbucket-cloud", "Bitbucket Cloud"),
  /** Bitbucket Server and Bitbucket Data Center (self-hosted). */
  BITBUCKET_SERVER("bitbucket-server", "Bitbucket Server"),
  /** Azure DevOps Services (dev.azure.com, *.visualstudio.com) and Azure DevOps Server. */
  AZURE_DEVOPS("azure-devops", "Azure DevOps"),
  /** Gitea, the managed Git server. */
  GITEA("gitea", "Gitea");

  private final String id;
  private final String displayName;

  ProviderKind(String id, String displayName) {
    this.id = id;
    this.displayName = displayName;
  }

  /** The stable id, such as {@code bitbucket-server}. */
  public String id() {
    return id;
  }

  /** The provider's name for messages, such as {@code Bitbucket Server}. */
  public String displayName() {
    return displayName;
  }

  /**
   * The kind with this id (case-insensitive).
   *
   * @throws InvalidInputException naming the known ids when there is none
   */
  public static ProviderKind ofId(String id) {
    String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (ProviderKind k : values()) {
      if (k.id.equals(wanted)) {
        return k;
      }
    }
    throw new InvalidInputException("git.provider", "unknown Git provider '" + id + "'; use one of "
        + Arrays.stream(values()).map(ProviderKind::id).collect(Collectors.joining(", ")));
  }
}
