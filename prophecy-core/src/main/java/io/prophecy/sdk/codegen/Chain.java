package io.prophecy.sdk.codegen;

import java.util.ArrayList;
import java.util.List;

/**
 * A chain of method calls on a DataFrame ({@code in0.filter(...).select(...)}), laid out on one line
 * when it fits and one call per line otherwise, with long argument lists one argument per line.
 * Python wraps a multi-line chain in parentheses; Scala continues lines that start with a dot.
 */
final class Chain {
  /** The language's layout rules. */
  enum Style {
    PYTHON("    ", 88, true),
    SCALA("  ", 100, false);

    final String indent;
    final int width;
    final boolean python;

    Style(String indent, int width, boolean python) {
      this.indent = indent;
      this.width = width;
      this.python = python;
    }
  }

  private record Call(String method, List<String> args) {}

  private final String head;
  private final List<Call> calls = new ArrayList<>();

  private Chain(String head) {
    this.head = head;
  }

  static Chain on(String head) {
    return new Chain(head);
  }

  /** Adds {@code .method(args...)}. */
  Chain call(String method, String... args) {
    return call(method, List.of(args));
  }

  Chain call(String method, List<String> args) {
    calls.add(new Call(method, List.copyOf(args)));
    return this;
  }

  /** The chain on one line. */
  String flat() {
    StringBuilder sb = new StringBuilder(head);
    for (Call c : calls) {
      sb.append('.').append(c.method).append('(').append(String.join(", ", c.args)).append(')');
    }
    return sb.toString();
  }

  /**
   * The chain as lines of a statement.
   *
   * @param indent the statement's indentation
   * @param prefix what comes before the chain on the first line ({@code return }, {@code val x = }, or nothing)
   */
  String render(Style style, String indent, String prefix) {
    String flat = flat();
    if (!flat.contains("\n") && indent.length() + prefix.length() + flat.length() <= style.width) {
      return indent + prefix + flat;
    }
    String inner = indent + style.indent;
    if (calls.size() == 1 && !calls.get(0).args.isEmpty()) {
      // one call: break its arguments, not the chain
      return arguments(style, indent, indent + prefix + head + "." + calls.get(0).method, calls.get(0).args);
    }
    List<String> lines = new ArrayList<>();
    if (style.python) {
      lines.add(indent + prefix + "(");
      lines.add(inner + head);
    } else {
      lines.add(indent + prefix + head);
    }
    for (Call c : calls) {
      lines.add(renderCall(style, inner, c));
    }
    if (style.python) {
      lines.add(indent + ")");
    }
    return String.join("\n", lines);
  }

  private static String renderCall(Style style, String indent, Call c) {
    String one = indent + "." + c.method + "(" + String.join(", ", c.args) + ")";
    if (!one.contains("\n") && one.length() <= style.width) {
      return one;
    }
    return arguments(style, indent, indent + "." + c.method, c.args);
  }

  /** {@code start(} then one argument per line, then {@code )} at the indentation. */
  private static String arguments(Style style, String indent, String start, List<String> args) {
    StringBuilder sb = new StringBuilder(start).append("(\n");
    for (int i = 0; i < args.size(); i++) {
      sb.append(indent).append(style.indent).append(args.get(i));
      if (style.python || i < args.size() - 1) {
        sb.append(',');
      }
      sb.append('\n');
    }
    return sb.append(indent).append(')').toString();
  }
}
