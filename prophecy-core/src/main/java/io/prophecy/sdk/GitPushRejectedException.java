package io.prophecy.sdk;

import java.util.List;

/**
 * The remote refused a push because it has commits the local branch lacks (someone pushed first). No
 * local commit is lost: pull, then push again.
 */
public class GitPushRejectedException extends GitException {
  private static final long serialVersionUID = 1L;

  private final List<String> refs;

  public GitPushRejectedException(String message, List<String> refs) {
    super(message);
    this.refs = List.copyOf(refs);
  }

  /** The refs the remote refused, such as {@code refs/heads/main}. */
  public List<String> refs() {
    return refs;
  }
}
