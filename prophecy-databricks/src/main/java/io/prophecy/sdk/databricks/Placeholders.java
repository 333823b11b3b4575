package io.prophecy.sdk.databricks;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values a {@code databricks-job.json} gets at deploy time for Prophecy's placeholders, as the
 * Prophecy build tool substitutes them: {@value #PROJECT_ID}, {@value #RELEASE_VERSION},
 * {@value #PROPHECY_URL} and {@value #FULL_RELEASE_TAG}. Immutable; each {@code with} gives a new one.
 *
 * <pre>{@code
 * Placeholders values = Placeholders.none().withProjectId("4711").withReleaseVersion("0.3.1");
 * }</pre>
 */
public final class Placeholders {
  /** The project's id (Prophecy's numeric id; any id the artifacts are stored under). */
  public static final String PROJECT_ID = "__PROJECT_ID_PLACEHOLDER__";
  /** The release (version) being deployed, such as {@code 0.3.1}. */
  public static final String RELEASE_VERSION = "__PROJECT_RELEASE_VERSION_PLACEHOLDER__";
  /** The URL of the Prophecy installation, as Spark configuration of the job cluster. */
  public static final String PROPHECY_URL = "__PROPHECY_URL_PLACEHOLDER__";
  /** The full release tag, such as {@code shop/0.3.1}. */
  public static final String FULL_RELEASE_TAG = "__PROJECT_FULL_RELEASE_TAG_PLACEHOLDER__";

  /** Any placeholder in Prophecy's spelling, known or not. */
  static final Pattern ANY = Pattern.compile("__[A-Z][A-Z0-9_]*?_PLACEHOLDER__");

  private static final Placeholders NONE = new Placeholders(Map.of());

  private final Map<String, String> values;

  private Placeholders(Map<String, String> values) {
    this.values = values;
  }

  /** No values: a file that holds a placeholder cannot be deployed with it. */
  public static Placeholders none() {
    return NONE;
  }

  public Placeholders withProjectId(String id) {
    return with(PROJECT_ID, id);
  }

  public Placeholders withReleaseVersion(String version) {
    return with(RELEASE_VERSION, version);
  }

  public Placeholders withProphecyUrl(String url) {
    return with(PROPHECY_URL, url);
  }

  public Placeholders withFullReleaseTag(String tag) {
    return with(FULL_RELEASE_TAG, tag);
  }

  /**
   * A value for any placeholder, such as one a newer Prophecy writes.
   *
   * @param placeholder spelled as in the file, {@code __NAME_PLACEHOLDER__}
   */
  public Placeholders with(String placeholder, String value) {
    Objects.requireNonNull(placeholder, "placeholder");
    Objects.requireNonNull(value, "value");
    if (!ANY.matcher(placeholder).matches()) {
      throw new IllegalArgumentException("'" + placeholder + "' is not spelled as a placeholder, __NAME_PLACEHOLDER__");
    }
    Map<String, String> next = new TreeMap<>(values);
    next.put(placeholder, value);
    return new Placeholders(Collections.unmodifiableMap(next));
  }

  /** The values, by placeholder. */
  public Map<String, String> values() {
    return values;
  }

  /** The text with every placeholder that has a value replaced; the others stay. */
  String apply(String text) {
    if (text.indexOf("__") < 0) {
      return text;
    }
    Matcher m = ANY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Placeholders p && p.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Placeholders" + values;
  }
}
