package io.prophecy.sdk.git.provider;

import java.util.Objects;

/**
 * A pull request (GitLab: merge request) the provider opened.
 *
 * @param id the number users see (GitHub/Gitea number, GitLab iid, Bitbucket and Azure DevOps id)
 * @param title the title
 * @param state the provider's state word, such as {@code open}, {@code opened}, {@code OPEN} or {@code active}
 * @param webUrl the pull request's page
 */
public record PullRequest(long id, String title, String state, String webUrl) {
  public PullRequest {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(webUrl, "webUrl");
  }
}
