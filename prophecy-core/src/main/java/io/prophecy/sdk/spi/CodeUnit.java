package io.prophecy.sdk.spi;

import java.util.Objects;

/**
 * A piece of code to run in a session.
 *
 * @param label what the code is, for messages and progress (a gem name, {@code pipeline daily})
 * @param language the code's language
 * @param text the code
 */
public record CodeUnit(String label, CodeLanguage language, String text) {
  public CodeUnit {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(text, "text");
  }
}
