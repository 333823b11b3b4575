package io.prophecy.sdk.internal;

import io.prophecy.sdk.InvalidInputException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation shared by values and handles. Every failure names the field. */
public final class Checks {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@+%-]{0,99}");
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");

  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
  private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");
  private static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)([-+][0-9A-Za-z.+-]+)?");

  private Checks() {}

  /**
   * A Git branch or tag name as the SDK makes them: letters, digits, '.', '_', '-' and '/' between
   * parts; no '..', no part starting with '.', not ending in '/' or '.lock'.
   */
  public static String branch(String field, String value) {
    if (value == null || !BRANCH.matcher(value).matches() || value.contains("..") || value.contains("//")
        || value.endsWith("/") || value.endsWith(".lock") || value.endsWith(".") || value.contains("/.")) {
      throw new InvalidInputException(field, describe(value) + " is not a valid branch name: use letters, digits,"
          + " '.', '_', '-' and '/' between parts, such as feature/daily-revenue");
    }
    return value;
  }

  /** A Git host as the SDK keys tokens by: lower case, with an optional {@code :port}. */
  public static String host(String field, String value) {
    String lower = value == null ? null : value.toLowerCase(Locale.ROOT);
    if (lower == null || lower.length() > 260 || !HOST.matcher(lower).matches()) {
      throw new InvalidInputException(field, describe(value) + " is not a host name such as github.com or"
          + " git.example.com:8443 (no scheme, path or user)");
    }
    return lower;
  }

  /** A semantic version such as {@code 1.2.0} or {@code 1.2.0-rc.1}. */
  public static String version(String field, String value) {
    if (value == null || !VERSION.matcher(value).matches()) {
      throw new InvalidInputException(field, describe(value) + " is not a semantic version such as 1.2.0");
    }
    return value;
  }

  /** Names of fabrics, projects, pipelines, datasets and jobs: safe as folder names in Git. */
  public static String name(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new InvalidInputException(
          field,
          describe(value)
              + " is not a valid name: use 1 to 64 letters, digits, '_' or '-', starting with a letter");
    }
    return value;
  }

  public static String teamName(String field, String value) {
    if (value == null || !TEAM.matcher(value).matches()) {
      throw new InvalidInputException(
          field,
          describe(value)
              + " is not a valid team name: use 1 to 100 letters, digits or '_', '.', '@', '+', '-',"
              + " starting with a letter or digit");
    }
    return value;
  }

  public static String kind(String field, String value) {
    if (value == null || !KIND.matcher(value).matches()) {
      throw new InvalidInputException(
          field, describe(value) + " is not a valid fabric kind: use lower-case letters, digits, '-'");
    }
    return value;
  }

  /** An e-mail address, returned in lower case. */
  public static String email(String field, String value) {
    if (value == null || value.length() > 320 || !EMAIL.matcher(value).matches()) {
      throw new InvalidInputException(
          field, describe(value) + " is not an e-mail address such as alice@example.com");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  public static String notBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, "must not be empty");
    }
    return value;
  }

  private static String describe(String value) {
    if (value == null) {
      return "no value";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return "'" + shown + "'";
  }
}
