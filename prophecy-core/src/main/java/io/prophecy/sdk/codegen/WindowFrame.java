package io.prophecy.sdk.codegen;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A window frame in SQL ({@code ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW}) as the DataFrame
 * API's {@code rowsBetween(start, end)} or {@code rangeBetween(start, end)}. The bounds read the same in
 * Python and Scala: {@code Window.unboundedPreceding}, {@code Window.currentRow}, {@code -3}, {@code 2}.
 */
record WindowFrame(String method, String start, String end) {
  private static final String BOUND = "(UNBOUNDED\\s+PRECEDING|UNBOUNDED\\s+FOLLOWING|CURRENT\\s+ROW|\\d+\\s+PRECEDING|\\d+\\s+FOLLOWING)";
  private static final Pattern FRAME = Pattern.compile("\\s*(ROWS|RANGE)\\s+BETWEEN\\s+" + BOUND + "\\s+AND\\s+" + BOUND
      + "\\s*", Pattern.CASE_INSENSITIVE);

  /** The frame, or empty when the text is not a frame this form can say. */
  static Optional<WindowFrame> parse(String sql) {
    Matcher m = FRAME.matcher(sql);
    if (!m.matches()) {
      return Optional.empty();
    }
    String method = m.group(1).equalsIgnoreCase("rows") ? "rowsBetween" : "rangeBetween";
    return Optional.of(new WindowFrame(method, bound(m.group(2)), bound(m.group(3))));
  }

  private static String bound(String sql) {
    String b = sql.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    return switch (b) {
      case "UNBOUNDED PRECEDING" -> "Window.unboundedPreceding";
      case "UNBOUNDED FOLLOWING" -> "Window.unboundedFollowing";
      case "CURRENT ROW" -> "Window.currentRow";
      default -> {
        String n = b.substring(0, b.indexOf(' '));
        yield b.endsWith("PRECEDING") ? "-" + n : n;
      }
    };
  }
}
