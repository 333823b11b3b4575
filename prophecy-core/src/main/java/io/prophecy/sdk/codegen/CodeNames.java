package io.prophecy.sdk.codegen;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gives gems, ports and variables identifiers that are valid in the generated language, unique in their
 * scope even on a case-insensitive file system, and different from the names the generated code uses.
 * Names that are already good identifiers stay as they are, so that code reads like the pipeline.
 */
final class CodeNames {
  private static final Pattern PORT_NAMES = Pattern.compile("(in|out)[0-9]+");

  private final Set<String> reserved;
  private final Set<String> taken = new HashSet<>();

  /**
   * @param reserved names the code uses itself, compared exactly (keywords, imported functions)
   */
  CodeNames(Set<String> reserved) {
    this.reserved = reserved;
  }

  /** Marks a name as used in this scope. */
  CodeNames take(String name) {
    taken.add(name.toLowerCase(Locale.ROOT));
    return this;
  }

  /** An identifier for a gem: the label made valid, then a suffix if it is reserved or taken. */
  String gem(String label) {
    String base = sanitize(label);
    if (PORT_NAMES.matcher(base).matches()) {
      base = base + "_gem";
    }
    return unique(base);
  }

  /** An identifier made of the text, unique in this scope. */
  String unique(String text) {
    String base = sanitize(text);
    String name = base;
    for (int i = 1; reserved.contains(name) || taken.contains(name.toLowerCase(Locale.ROOT)); i++) {
      name = base + "_" + i;
    }
    taken.add(name.toLowerCase(Locale.ROOT));
    return name;
  }

  /** Letters, digits and underscores only, starting with a letter. */
  static String sanitize(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    String s = sb.toString().replaceAll("_+$", "");
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      s = "gem_" + s.replaceAll("^_+", "");
    }
    return s.endsWith("_") ? s + "1" : s;
  }
}
