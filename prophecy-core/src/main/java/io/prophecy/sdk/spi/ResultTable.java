package io.prophecy.sdk.spi;

import java.util.List;
import org.immutables.value.Value;

/** A table an execution returned: named, typed columns and rows, possibly a bounded sample. */
@Value.Immutable
public abstract class ResultTable {
  /** A column's name and engine type, such as {@code bigint}. */
  public record Column(String name, String type) {}

  public abstract List<Column> columns();

  /** Rows in column order; values are Java types (String, Long, Double, Boolean, BigDecimal...) or null. */
  public abstract List<List<Object>> rows();

  /** Whether the engine returned fewer rows than the result has. */
  @Value.Default
  public boolean truncated() {
    return false;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder extends ImmutableResultTable.Builder {}
}
