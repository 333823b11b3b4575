package io.prophecy.sdk.spark.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkThrowable;

/** Spark's errors as short messages and full details. */
final class EngineErrors {
  private EngineErrors() {}

  /**
   * The first line of the engine's most specific message: the first error in the cause chain that
   * carries a Spark error class (a task's {@code [DIVIDE_BY_ZERO]} rather than the job's "Job aborted"),
   * else the error itself.
   */
  static String message(Throwable t) {
    Throwable chosen = t;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SparkThrowable st && st.getErrorClass() != null) {
        chosen = c;
        break;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    String text = chosen.getMessage();
    if (text == null || text.isBlank()) {
      return chosen.getClass().getSimpleName();
    }
    for (String line : text.split("\\R")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return chosen.getClass().getSimpleName();
  }

  /** The whole message of every error in the cause chain, without stack frames. */
  static String detail(Throwable t) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    for (Throwable c = t; c != null && depth < 10; c = c.getCause(), depth++) {
      String text = c.getMessage();
      parts.add(c.getClass().getName() + (text == null ? "" : ": " + text.strip()));
      if (c.getCause() == c) {
        break;
      }
    }
    return String.join("\nCaused by: ", parts);
  }
}
