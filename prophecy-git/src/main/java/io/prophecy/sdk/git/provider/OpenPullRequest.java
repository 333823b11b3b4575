package io.prophecy.sdk.git.provider;

import io.prophecy.sdk.InvalidInputException;
import java.util.Objects;

/**
 * A pull request to open from one branch into another of the same repository.
 *
 * <pre>{@code
 * client.openPullRequest(OpenPullRequest.of(remote, "feature/revenue", "main", "Daily revenue")
 *     .withDescription("Adds the daily_revenue pipeline"));
 * }</pre>
 *
 * @param repository the repository, as {@link GitProviders#resolve(String)} validated it
 * @param sourceBranch the branch with the changes (a short name such as {@code feature/x})
 * @param targetBranch the branch to merge into
 * @param title the title
 * @param description the description, or {@code null}
 */
public record OpenPullRequest(RemoteUrl repository, String sourceBranch, String targetBranch, String title,
    String description) {
  public OpenPullRequest {
    Objects.requireNonNull(repository, "repository");
    sourceBranch = branch("pullRequest.sourceBranch", sourceBranch);
    targetBranch = branch("pullRequest.targetBranch", targetBranch);
    if (sourceBranch.equals(targetBranch)) {
      throw new InvalidInputException("pullRequest.targetBranch",
          "source and target are both '" + sourceBranch + "'; a pull request needs two different branches");
    }
    if (title == null || title.isBlank()) {
      throw new InvalidInputException("pullRequest.title", "a pull request needs a title");
    }
    description = description == null || description.isBlank() ? null : description;
  }

  /** A pull request without a description. */
  public static OpenPullRequest of(RemoteUrl repository, String sourceBranch, String targetBranch, String title) {
    return new OpenPullRequest(repository, sourceBranch, targetBranch, title, null);
  }

  /** The same, with a description. */
  public OpenPullRequest withDescription(String newDescription) {
    return new OpenPullRequest(repository, sourceBranch, targetBranch, title, newDescription);
  }

  private static String branch(String location, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(location, "a branch name is required");
    }
    String b = value.trim();
    if (b.startsWith("refs/heads/")) {
      b = b.substring("refs/heads/".length());
    }
    if (b.isEmpty() || b.contains("..") || b.contains(" ") || b.startsWith("/") || b.endsWith("/")
        || b.endsWith(".lock") || b.chars().anyMatch(c -> c < 0x20 || "~^:?*[\\".indexOf(c) >= 0)) {
      throw new InvalidInputException(location, "'" + value + "' is not a valid Git branch name");
    }
    return b;
  }
}
