package io.prophecy.sdk.internal.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Edits the text of a {@code pbt_project.yml} in place: setting or removing one value by its key path
 * changes only the lines of that value and leaves every other byte (comments, key order, quoting,
 * indentation, line ends) as it was. Maps in block style are edited; a value in flow style, an anchor,
 * a tag, or anything else this editor cannot place safely makes it decline, and the caller rewrites the
 * whole tree instead.
 *
 * <p>Values it writes are in Prophecy's style (see {@link YamlEmitter}). When an existing map is
 * replaced by another, only the keys that differ are rewritten.
 */
final class IndexEditor {
  /** One change of the index. */
  sealed interface Change {
    /** Applies the change to a tree, as the edited text must read back. */
    void apply(ObjectNode tree);
  }

  /** Sets the value at a key path, creating the maps on the way. */
  record Put(List<String> path, JsonNode value) implements Change {
    Put {
      path = List.copyOf(path);
    }

    @Override
    public void apply(ObjectNode tree) {
      ObjectNode at = tree;
      for (String k : path.subList(0, path.size() - 1)) {
        JsonNode next = at.get(k);
        at = next instanceof ObjectNode o ? o : at.putObject(k);
      }
      at.set(path.get(path.size() - 1), value.deepCopy());
    }
  }

  /** Removes the value at a key path; a map left empty stays, as {@code {}}. */
  record Remove(List<String> path) implements Change {
    Remove {
      path = List.copyOf(path);
    }

    @Override
    public void apply(ObjectNode tree) {
      JsonNode at = tree;
      for (String k : path.subList(0, path.size() - 1)) {
        at = at.path(k);
      }
      if (at instanceof ObjectNode o) {
        o.remove(path.get(path.size() - 1));
      }
    }
  }

  /** The text cannot be edited in place. */
  private static final class Unsafe extends RuntimeException {
    Unsafe(String why) {
      super(why, null, false, false);
    }
  }

  private record Key(String name, int colon, String inline) {}

  private final List<String> lines;
  private final String newline;
  private final boolean finalNewline;

  private IndexEditor(List<String> lines, String newline, boolean finalNewline) {
    this.lines = lines;
    this.newline = newline;
    this.finalNewline = finalNewline;
  }

  /**
   * The text with the change made, or empty when it cannot be made in place.
   *
   * @param before the tree the text reads as
   */
  static Optional<String> apply(String text, ObjectNode before, Change change) {
    String nl = text.contains("\r\n") ? "\r\n" : "\n";
    if (nl.equals("\r\n") && (text.replace("\r\n", "").indexOf('\n') >= 0 || text.replace("\r\n", "").indexOf('\r') >= 0)) {
      return Optional.empty();
    }
    boolean finalNewline = text.endsWith(nl);
    String body = finalNewline ? text.substring(0, text.length() - nl.length()) : text;
    List<String> lines = body.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(body.split(nl, -1)));
    IndexEditor editor = new IndexEditor(lines, nl, finalNewline);
    try {
      int start = editor.rootStart();
      if (change instanceof Put put) {
        editor.put(start, lines.size(), 0, true, before, put.path(), put.value());
      } else if (change instanceof Remove remove) {
        editor.remove(start, lines.size(), 0, true, before, remove.path());
      }
    } catch (Unsafe e) {
      return Optional.empty();
    }
    if (editor.lines.isEmpty()) {
      return Optional.of("");
    }
    return Optional.of(String.join(nl, editor.lines) + (editor.finalNewline ? editor.newline : ""));
  }

  /** The first line of the root map: after a {@code ---} marker; declines documents that are not a block map. */
  private int rootStart() {
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!content(line)) {
        continue;
      }
      if (line.startsWith("%")) {
        throw new Unsafe("directive");
      }
      if (line.strip().equals("---") && start == 0) {
        start = i + 1;
        continue;
      }
      int indent = indent(line);
      boolean item = line.equals("-") || line.startsWith("- ");
      if (indent == 0 && !item && key(line, 0).isEmpty()) {
        throw new Unsafe("the root is not a block map at line " + (i + 1));
      }
    }
    return start;
  }

  /**
   * Sets {@code path} to {@code value} in the map whose entries are the lines [start, end).
   *
   * @return how many lines were added (negative when removed)
   */
  private int put(int start, int end, int parentIndent, boolean root, JsonNode oldParent, List<String> path,
      JsonNode value) {
    String k = path.get(0);
    int indent = childIndent(start, end, root ? 0 : parentIndent + 2);
    int at = find(start, end, indent, k);
    JsonNode old = oldParent == null ? null : oldParent.get(k);
    if (path.size() == 1) {
      if (at < 0) {
        return insert(insertionPoint(start, end), render(k, value, indent));
      }
      if (old != null && old.equals(value)) {
        return 0;
      }
      Key key = key(lines.get(at), indent).orElseThrow();
      int blockEnd = blockEnd(at, indent, end);
      if (old instanceof ObjectNode o && !o.isEmpty() && value instanceof ObjectNode n && !n.isEmpty()
          && key.inline().isEmpty()) {
        return merge(at + 1, blockEnd, indent, o, n);
      }
      List<String> rendered = render(k, value, indent);
      String first = rendered.get(0);
      // Keep the key as it was spelled, and a trailing comment on a one-line value.
      String line = lines.get(at);
      first = line.substring(0, key.colon()) + first.substring(indent + YamlEmitter.scalar(k).length());
      if (rendered.size() == 1 && blockEnd == at + 1) {
        first += comment(line, key.colon() + 1);
      }
      rendered.set(0, first);
      return replace(at, blockEnd, rendered);
    }
    List<String> rest = path.subList(1, path.size());
    if (at < 0) {
      ObjectNode nested = JsonNodeFactory.instance.objectNode();
      new Put(rest, value).apply(nested);
      return insert(insertionPoint(start, end), render(k, nested, indent));
    }
    Key key = key(lines.get(at), indent).orElseThrow();
    if (!key.inline().isEmpty()) {
      if (!List.of("{}", "null", "~", "Null", "NULL").contains(key.inline())) {
        throw new Unsafe("'" + k + "' holds an inline value");
      }
      lines.set(at, lines.get(at).substring(0, key.colon() + 1) + comment(lines.get(at), key.colon() + 1));
    }
    int blockEnd = blockEnd(at, indent, end);
    if (blockEnd > at + 1 && sequence(at + 1, blockEnd)) {
      throw new Unsafe("'" + k + "' is a sequence");
    }
    return put(at + 1, blockEnd, indent, false, old instanceof ObjectNode ? old : null, rest, value);
  }

  /** Rewrites the entries of one map that differ between two versions of it. */
  private int merge(int start, int end, int parentIndent, ObjectNode old, ObjectNode value) {
    int delta = 0;
    for (Iterator<String> it = old.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!value.has(k)) {
        int d = remove(start, end + delta, parentIndent, false, old, List.of(k));
        delta += d;
      }
    }
    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!value.get(k).equals(old.get(k))) {
        delta += put(start, end + delta, parentIndent, false, old, List.of(k), value.get(k));
      }
    }
    return delta;
  }

  private int remove(int start, int end, int parentIndent, boolean root, JsonNode oldParent, List<String> path) {
    String k = path.get(0);
    int indent = childIndent(start, end, root ? 0 : parentIndent + 2);
    int at = find(start, end, indent, k);
    if (at < 0) {
      return 0;
    }
    int blockEnd = blockEnd(at, indent, end);
    if (path.size() == 1) {
      return replace(at, blockEnd, List.of());
    }
    Key key = key(lines.get(at), indent).orElseThrow();
    if (!key.inline().isEmpty()) {
      if (List.of("{}", "null", "~", "Null", "NULL").contains(key.inline())) {
        return 0;
      }
      throw new Unsafe("'" + k + "' holds an inline value");
    }
    if (blockEnd > at + 1 && sequence(at + 1, blockEnd)) {
      throw new Unsafe("'" + k + "' is a sequence");
    }
    JsonNode old = oldParent == null ? null : oldParent.get(k);
    int delta = remove(at + 1, blockEnd, indent, false, old, path.subList(1, path.size()));
    if (childIndent(at + 1, blockEnd + delta, -1) < 0) {
      // The map is now empty: Prophecy writes it as {}.
      String line = lines.get(at);
      lines.set(at, line.substring(0, key.colon() + 1) + " {}" + comment(line, key.colon() + 1));
    }
    return delta;
  }

  private List<String> render(String key, JsonNode value, int indent) {
    StringBuilder out = new StringBuilder();
    YamlEmitter.entry(out, key, value, indent);
    String text = out.toString();
    return new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1)));
  }

  private int insert(int at, List<String> block) {
    lines.addAll(at, block);
    return block.size();
  }

  private int replace(int from, int to, List<String> block) {
    for (int i = from; i < to; i++) {
      lines.remove(from);
    }
    lines.addAll(from, block);
    return block.size() - (to - from);
  }

  /** After the last content line of a block, before trailing blank lines and comments. */
  private int insertionPoint(int start, int end) {
    int at = start;
    for (int i = start; i < end; i++) {
      if (content(lines.get(i))) {
        at = i + 1;
      }
    }
    return at;
  }

  /** The indentation of a block's entries; {@code otherwise} when it has none. */
  private int childIndent(int start, int end, int otherwise) {
    for (int i = start; i < end; i++) {
      if (content(lines.get(i))) {
        return indent(lines.get(i));
      }
    }
    return otherwise;
  }

  private boolean sequence(int start, int end) {
    for (int i = start; i < end; i++) {
      String line = lines.get(i);
      if (content(line)) {
        String s = line.substring(indent(line));
        return s.equals("-") || s.startsWith("- ");
      }
    }
    return false;
  }

  private int find(int start, int end, int indent, String name) {
    for (int i = start; i < end; i++) {
      String line = lines.get(i);
      if (content(line) && indent(line) == indent) {
        Optional<Key> key = key(line, indent);
        if (key.isPresent() && key.get().name().equals(name)) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The end (exclusive) of the value of the key at line {@code at}: more indented lines, or {@code - } items at its indent. */
  private int blockEnd(int at, int indent, int limit) {
    int last = at;
    for (int i = at + 1; i < limit; i++) {
      String line = lines.get(i);
      if (!content(line)) {
        continue;
      }
      int ind = indent(line);
      String s = line.substring(ind);
      if (ind > indent || (ind == indent && (s.equals("-") || s.startsWith("- ")))) {
        last = i;
      } else {
        break;
      }
    }
    return last + 1;
  }

  private static boolean content(String line) {
    String s = line.strip();
    return !s.isEmpty() && !s.startsWith("#");
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    if (i < line.length() && line.charAt(i) == '\t') {
      throw new Unsafe("a tab in the indentation");
    }
    return i;
  }

  /** The key of a {@code key: value} line whose key starts at {@code indent}. */
  private static Optional<Key> key(String line, int indent) {
    String s = line.substring(indent);
    if (s.startsWith("- ") || s.equals("-") || s.startsWith("? ") || s.startsWith("{") || s.startsWith("[")) {
      return Optional.empty();
    }
    String name;
    int colon;
    if (s.startsWith("'")) {
      StringBuilder b = new StringBuilder();
      int i = 1;
      while (true) {
        if (i >= s.length()) {
          return Optional.empty();
        }
        char c = s.charAt(i);
        if (c == '\'') {
          if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
            b.append('\'');
            i += 2;
            continue;
          }
          break;
        }
        b.append(c);
        i++;
      }
      name = b.toString();
      colon = i + 1;
    } else if (s.startsWith("\"")) {
      StringBuilder b = new StringBuilder();
      int i = 1;
      while (true) {
        if (i >= s.length()) {
          return Optional.empty();
        }
        char c = s.charAt(i);
        if (c == '\\') {
          if (i + 1 >= s.length()) {
            return Optional.empty();
          }
          char e = s.charAt(i + 1);
          switch (e) {
            case '"', '\\', '/' -> b.append(e);
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            default -> throw new Unsafe("an escape in a quoted key");
          }
          i += 2;
          continue;
        }
        if (c == '"') {
          break;
        }
        b.append(c);
        i++;
      }
      name = b.toString();
      colon = i + 1;
    } else {
      int c = -1;
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) == ':' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
          c = i;
          break;
        }
        if (s.charAt(i) == '#' && i > 0 && s.charAt(i - 1) == ' ') {
          return Optional.empty();
        }
      }
      if (c < 0) {
        return Optional.empty();
      }
      name = s.substring(0, c).strip();
      colon = c;
    }
    if (colon >= s.length() || s.charAt(colon) != ':' || (colon + 1 < s.length() && s.charAt(colon + 1) != ' ')) {
      return Optional.empty();
    }
    String inline = s.substring(colon + 1);
    int hash = commentStart(inline);
    if (hash >= 0) {
      inline = inline.substring(0, hash);
    }
    inline = inline.strip();
    if (!inline.isEmpty() && "&*!".indexOf(inline.charAt(0)) >= 0) {
      throw new Unsafe("an anchor, alias or tag at '" + name + "'");
    }
    return Optional.of(new Key(name, indent + colon, inline));
  }

  /** Where a trailing {@code # comment} starts in a value's text, outside quotes; -1 when there is none. */
  private static int commentStart(String value) {
    char quote = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        if (value.substring(0, i).isBlank()) {
          quote = c;
        }
      } else if (c == '#' && (i == 0 || value.charAt(i - 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  /** The trailing comment of a line, with the spaces before it, from position {@code from}; "" when none. */
  private static String comment(String line, int from) {
    String value = line.substring(from);
    int hash = commentStart(value);
    if (hash < 0) {
      return "";
    }
    int spaces = hash;
    while (spaces > 0 && value.charAt(spaces - 1) == ' ') {
      spaces--;
    }
    return value.substring(spaces);
  }
}
