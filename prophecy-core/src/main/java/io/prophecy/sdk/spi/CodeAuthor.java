package io.prophecy.sdk.spi;

import java.util.Objects;

/** Who a commit, merge or tag is made by: the acting user. */
public record CodeAuthor(String name, String email) {
  public CodeAuthor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
  }
}
