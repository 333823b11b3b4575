package io.prophecy.sdk.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text helpers shared by the code generators: string literals, identifiers, secrets, templates. */
final class CodeText {
  private static final Pattern SECRET_KEY = Pattern.compile(".*(password|passwd|pwd|secret|token|credential|"
      + "private.?key|access.?key|api.?key|account.?key|sas).*");
  /** {@code scheme://user:password@host}: the password part of a URI's user info. */
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^/@:?#\\s]*):[^/@?#\\s]*@");
  /** {@code password=...} and the like in a URL's query or a JDBC property list. */
  private static final Pattern SECRET_PARAMETER = Pattern.compile(
      "([?&;:])([A-Za-z_.]*(?:password|passwd|pwd|secret|token|apikey|api_key)[A-Za-z_.]*)=[^&;]*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  static final Set<String> PYTHON_KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async", "await",
      "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
      "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
      "yield", "match", "case", "type");
  static final Set<String> SCALA_KEYWORDS = Set.of("abstract", "case", "catch", "class", "def", "do", "else",
      "extends", "false", "final", "finally", "for", "forSome", "if", "implicit", "import", "lazy", "macro", "match",
      "new", "null", "object", "override", "package", "private", "protected", "return", "sealed", "super", "this",
      "throw", "trait", "try", "true", "type", "val", "var", "while", "with", "yield", "then", "enum", "export",
      "given");

  private CodeText() {}

  /** Whether a dataset option, Spark setting or configuration field of this name holds a secret. */
  static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * The value without credentials embedded in it: the password of {@code scheme://user:password@host}
   * and {@code password=...} parameters of URLs and JDBC strings are removed.
   */
  static String withoutCredentials(String value) {
    String out = USER_INFO_PASSWORD.matcher(value).replaceAll("$1@");
    Matcher m = SECRET_PARAMETER.matcher(out);
    StringBuilder sb = new StringBuilder();
    boolean removed = false;
    while (m.find()) {
      // keep the separator unless it starts the query: "?password=x&a=b" becomes "?a=b" below
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1)));
      removed = true;
    }
    if (!removed) {
      return out; // a value such as the separator ";" is left as it is
    }
    m.appendTail(sb);
    return sb.toString().replace("?&", "?").replace("&&", "&").replace(";;", ";").replaceAll("[?&;]$", "");
  }

  /**
   * Adds the pipeline's Spark and Hadoop settings ({@code metainfo.sparkConf}, {@code hadoopConf}) to a
   * session builder as {@code config(key, value)} calls; settings that hold secrets are left out, and the
   * notes returned say which.
   */
  static java.util.List<String> sparkConf(io.prophecy.sdk.pipeline.PipelineGraph graph, Chain builder,
      java.util.function.UnaryOperator<String> literal) {
    java.util.List<String> notes = new java.util.ArrayList<>();
    com.fasterxml.jackson.databind.JsonNode meta = graph.metainfo();
    for (String list : java.util.List.of("sparkConf", "hadoopConf")) {
      for (com.fasterxml.jackson.databind.JsonNode c : meta.path(list)) {
        String name = c.path("name").asText(c.path("key").asText(""));
        com.fasterxml.jackson.databind.JsonNode v = c.path("value");
        if (name.isBlank() || v.isMissingNode() || v.isNull()) {
          continue;
        }
        String key = list.equals("hadoopConf") ? "spark.hadoop." + name : name;
        if (isSecretKey(name)) {
          notes.add("Setting " + key + " is left out: secrets come from the fabric's credentials, never from code.");
          continue;
        }
        builder.call("config", literal.apply(key), literal.apply(withoutCredentials(v.asText())));
      }
    }
    return notes;
  }

  static boolean isIdentifier(String s) {
    return IDENTIFIER.matcher(s).matches();
  }

  /**
   * A Python string literal: double quotes by default, single quotes when that avoids escapes, and a
   * triple-quoted string for multi-line text that needs no escapes.
   */
  static String python(String s) {
    boolean plain = s.chars().allMatch(c -> c >= 0x20 && c != 0x7f || c == '\n' || c == '\t');
    if (s.contains("\n") && plain && !s.contains("\\") && !s.contains("\"\"\"") && !s.endsWith("\"")
        && !s.contains("\t")) {
      return "\"\"\"" + s + "\"\"\"";
    }
    char quote = s.indexOf('"') >= 0 && s.indexOf('\'') < 0 ? '\'' : '"';
    StringBuilder sb = new StringBuilder().append(quote);
    s.codePoints().forEach(c -> {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c == quote) {
            sb.append('\\').append((char) c);
          } else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", c));
          } else {
            sb.appendCodePoint(c);
          }
        }
      }
    });
    return sb.append(quote).toString();
  }

  /** A Scala string literal: a plain one with escapes, or a triple-quoted one for multi-line text without backslashes. */
  static String scala(String s) {
    boolean plain = s.chars().allMatch(c -> c >= 0x20 && c != 0x7f || c == '\n');
    if (s.contains("\n") && plain && !s.contains("\\") && !s.contains("\"\"\"") && !s.endsWith("\"")) {
      return "\"\"\"" + s + "\"\"\"";
    }
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().forEach(c -> {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", c));
          } else {
            sb.appendCodePoint(c);
          }
        }
      }
    });
    return sb.append('"').toString();
  }

  /**
   * Whether code must be put in parentheses before a method is called on it: true unless it is a name,
   * a call or a chain of them ({@code col("a")}, {@code F.upper(col("b")).cast("int")}).
   */
  static boolean needsParentheses(String code) {
    int depth = 0;
    char inString = 0;
    String t = code.trim();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (inString != 0) {
        if (c == '\\') {
          i++;
        } else if (c == inString) {
          inString = 0;
        }
      } else if (c == '"' || c == '\'') {
        inString = c;
      } else if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || c == ']') {
        depth--;
        if (depth < 0) {
          return true;
        }
      } else if (depth == 0 && !(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
        return true;
      }
    }
    return depth != 0 || inString != 0 || t.isEmpty() || Character.isDigit(t.charAt(0));
  }

  /** A resource template of this package with {@code {{NAME}}} placeholders filled in. */
  static String template(String resource, Map<String, String> values) {
    String text;
    try (InputStream in = CodeText.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the code template " + resource + " is missing from the SDK's jar");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the code template " + resource, e);
    }
    for (var e : values.entrySet()) {
      text = text.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    if (text.contains("{{")) {
      throw new IllegalStateException("the code template " + resource + " has an unfilled placeholder");
    }
    return text;
  }

  /** Each line of the text with the indentation in front; blank lines stay empty. */
  static String indent(String text, String indentation) {
    StringBuilder sb = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      sb.append(line.isBlank() ? "" : indentation + line).append('\n');
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }
}
