package io.prophecy.sdk;

import io.prophecy.sdk.spi.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A gem output's sample from an interactive run: the first rows and the output's full row count. Prints
 * as a text table; {@link #toHtml()} renders it for notebooks.
 */
public final class Interim {
  private static final int MAX_CELL = 40;

  private final String gem;
  private final long rows;
  private final ResultTable sample;

  public Interim(String gem, long rows, ResultTable sample) {
    this.gem = Objects.requireNonNull(gem, "gem");
    this.rows = rows;
    this.sample = Objects.requireNonNull(sample, "sample");
  }

  public String gem() {
    return gem;
  }

  /** Rows of the whole output, not only the sample. */
  public long rows() {
    return rows;
  }

  public ResultTable sample() {
    return sample;
  }

  public List<String> columns() {
    return sample.columns().stream().map(ResultTable.Column::name).toList();
  }

  /** The sample as a text table, with a line saying how many rows it shows of how many. */
  @Override
  public String toString() {
    List<String> header = columns();
    List<List<String>> cells = new ArrayList<>();
    for (List<Object> row : sample.rows()) {
      List<String> line = new ArrayList<>();
      for (Object v : row) {
        line.add(cell(v));
      }
      cells.add(line);
    }
    int[] width = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      width[i] = header.get(i).length();
      for (List<String> line : cells) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    String rule = rule(width);
    out.append(rule).append(line(header, width)).append(rule);
    for (List<String> line : cells) {
      out.append(line(line, width));
    }
    out.append(rule);
    out.append(gem).append(": ").append(sample.rows().size()).append(" of ").append(rows).append(rows == 1 ? " row" : " rows");
    return out.toString();
  }

  /** The sample as an HTML table, values escaped. */
  public String toHtml() {
    StringBuilder out = new StringBuilder("<table class=\"prophecy-interim\">\n<caption>").append(escape(gem))
        .append(": ").append(sample.rows().size()).append(" of ").append(rows).append(" rows</caption>\n<thead><tr>");
    for (ResultTable.Column c : sample.columns()) {
      out.append("<th title=\"").append(escape(c.type())).append("\">").append(escape(c.name())).append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (List<Object> row : sample.rows()) {
      out.append("<tr>");
      for (Object v : row) {
        out.append("<td>").append(v == null ? "<i>null</i>" : escape(String.valueOf(v))).append("</td>");
      }
      out.append("</tr>\n");
    }
    return out.append("</tbody>\n</table>").toString();
  }

  private static String cell(Object v) {
    String s = v == null ? "null" : String.valueOf(v).replace("\n", "\\n").replace("\t", " ");
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }

  private static String rule(int[] width) {
    StringBuilder s = new StringBuilder("+");
    for (int w : width) {
      s.append("-".repeat(w + 2)).append('+');
    }
    return s.append('\n').toString();
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder s = new StringBuilder("|");
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      s.append(' ').append(c).append(" ".repeat(width[i] - c.length())).append(" |");
    }
    return s.append('\n').toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
