package io.prophecy.sdk.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * A problem found in a pipeline or project file.
 *
 * @param severity how bad it is
 * @param gem the gem's name (its label), or empty when the problem is not in one gem
 * @param location where in the gem or file: a port slug ({@code in1}), a field path
 *     ({@code expressions[2].expression}) or a file; empty when the whole gem is concerned
 * @param message what is wrong, in a sentence
 */
public record Diagnostic(Severity severity, Optional<String> gem, Optional<String> location, String message) {
  /** How bad a diagnostic is. Prophecy stores them as numbers: 1 error, 2 warning, 3 information. */
  public enum Severity {
    ERROR(1),
    WARNING(2),
    INFO(3);

    private final int code;

    Severity(int code) {
      this.code = code;
    }

    /** Prophecy's number for it. */
    public int code() {
      return code;
    }

    public static Severity ofCode(int code) {
      return switch (code) {
        case 1 -> ERROR;
        case 2 -> WARNING;
        default -> INFO;
      };
    }
  }

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(gem, "gem");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  public static Diagnostic error(String gem, String location, String message) {
    return new Diagnostic(Severity.ERROR, Optional.ofNullable(gem), Optional.ofNullable(location), message);
  }

  public static Diagnostic warning(String gem, String location, String message) {
    return new Diagnostic(Severity.WARNING, Optional.ofNullable(gem), Optional.ofNullable(location), message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** One line: {@code ERROR gem 'Orders' at expressions[0].expression: message}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(severity.name());
    gem.ifPresent(g -> s.append(" gem '").append(g).append('\''));
    location.ifPresent(l -> s.append(gem.isPresent() ? " at " : " ").append(l));
    return s.append(": ").append(message).toString();
  }
}
