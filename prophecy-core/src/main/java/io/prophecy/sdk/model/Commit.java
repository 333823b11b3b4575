package io.prophecy.sdk.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A commit of a project's repository.
 *
 * @param id the full commit id (40 hex digits for Git)
 * @param message the whole message
 * @param author the author's name
 * @param authorEmail the author's e-mail
 * @param time when it was authored
 */
public record Commit(String id, String message, String author, String authorEmail, Instant time) {
  public Commit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(authorEmail, "authorEmail");
    Objects.requireNonNull(time, "time");
  }

  /** The first line of the message. */
  public String subject() {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The first seven characters of the id. */
  public String shortId() {
    return id.length() <= 7 ? id : id.substring(0, 7);
  }
}
