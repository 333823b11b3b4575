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

  private Checks() {}

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
