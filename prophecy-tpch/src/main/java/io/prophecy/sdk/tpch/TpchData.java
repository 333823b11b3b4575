package io.prophecy.sdk.tpch;

import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.pipeline.DatasetLookup;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deterministic TPC-H data generator: the eight tables of the TPC-H specification (version 3), with its
 * column domains, value distributions and relationships, written as CSV files with a header. The same
 * scale factor and seed give the same bytes on every run and every machine.
 *
 * <p>What follows the specification (clause 4.2.3): the row counts per scale factor (part 200,000 ×
 * SF, supplier 10,000 × SF, partsupp 4 per part, customer 150,000 × SF, orders 1,500,000 × SF, lineitem 1
 * to 7 per order, nation 25, region 5); the fixed nation and region lists; sparse order keys (8 of each
 * 32); customers whose key is a multiple of 3 place no orders; each lineitem's supplier is one of the
 * four that supply its part; {@code p_retailprice} by the spec's formula and {@code l_extendedprice =
 * l_quantity × p_retailprice}; quantity 1–50, discount 0.00–0.10, tax 0.00–0.08; order dates from
 * 1992-01-01 to 151 days before 1998-12-31, ship dates 1–121 days after the order, commit dates 30–90
 * days after, receipt dates 1–30 days after shipping; {@code l_returnflag} R or A when received by
 * 1995-06-17 and N after, {@code l_linestatus} F when shipped by that date and O after, and
 * {@code o_orderstatus} F, O or P from its lines; {@code o_totalprice} from its lines; the segment,
 * priority, ship mode, ship instruction, type, container and color lists.
 *
 * <p>What is simpler than the specification: the random streams (one SplitMix64 stream per table, not
 * dbgen's), and comments and addresses (words and letters chosen at random, no commas or quotes), so
 * the data equal dbgen's in distribution but not value for value; and at small scale factors where the
 * specification's supplier formula repeats a supplier for a part, the repeat is replaced by the next
 * supplier (see {@link #suppliersOf}).
 *
 * <pre>{@code
 * TpchData data = TpchData.of(0.01);              // 15,000 orders, about 60,000 lineitems
 * Map<String, Long> rows = data.write(folder);    // folder/lineitem.csv, folder/orders.csv, ...
 * DatasetLookup datasets = TpchData.lookup(folder);
 * }</pre>
 */
public final class TpchData {
  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 19_920_101L;

  /** The tables, in the order they are written. */
  public static final List<String> TABLES =
      List.of("region", "nation", "supplier", "part", "partsupp", "customer", "orders", "lineitem");

  /** The specification's CURRENTDATE: lines received by then may be returned; shipped by then are final. */
  public static final LocalDate CURRENT_DATE = LocalDate.of(1995, 6, 17);
  static final LocalDate START_DATE = LocalDate.of(1992, 1, 1);
  static final LocalDate END_DATE = LocalDate.of(1998, 12, 31);

  static final String[] REGIONS = {"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"};
  /** Nation names with their region keys, by nation key. */
  static final String[] NATIONS = {"ALGERIA", "ARGENTINA", "BRAZIL", "CANADA", "EGYPT", "ETHIOPIA", "FRANCE",
      "GERMANY", "INDIA", "INDONESIA", "IRAN", "IRAQ", "JAPAN", "JORDAN", "KENYA", "MOROCCO", "MOZAMBIQUE", "PERU",
      "CHINA", "ROMANIA", "SAUDI ARABIA", "VIETNAM", "RUSSIA", "UNITED KINGDOM", "UNITED STATES"};
  static final int[] NATION_REGIONS = {0, 1, 1, 1, 4, 0, 3, 3, 2, 2, 4, 4, 2, 4, 0, 0, 0, 1, 2, 3, 4, 2, 3, 3, 1};
  static final String[] SEGMENTS = {"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"};
  static final String[] PRIORITIES = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"};
  static final String[] SHIP_MODES = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};
  static final String[] INSTRUCTIONS = {"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"};
  private static final String[] TYPE_1 = {"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"};
  private static final String[] TYPE_2 = {"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"};
  private static final String[] TYPE_3 = {"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"};
  private static final String[] CONTAINER_1 = {"SM", "LG", "MED", "JUMBO", "WRAP"};
  private static final String[] CONTAINER_2 = {"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"};
  private static final String[] COLORS = {"almond", "antique", "aquamarine", "azure", "beige", "bisque", "black",
      "blanched", "blue", "blush", "brown", "burlywood", "burnished", "chartreuse", "chiffon", "chocolate", "coral",
      "cornflower", "cornsilk", "cream", "cyan", "dark", "deep", "dim", "dodger", "drab", "firebrick", "floral",
      "forest", "frosted", "gainsboro", "ghost", "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory",
      "khaki", "lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta", "maroon", "medium",
      "metallic", "midnight", "mint", "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale",
      "papaya", "peach", "peru", "pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle",
      "salmon", "sandy", "seashell", "sienna", "sky", "slate", "smoke", "snow", "spring", "steel", "tan", "thistle",
      "tomato", "turquoise", "violet", "wheat", "white", "yellow"};
  private static final String[] WORDS = {"furiously", "slyly", "carefully", "blithely", "quickly", "fluffily",
      "final", "ironic", "even", "bold", "regular", "express", "pending", "special", "silent", "unusual", "packages",
      "requests", "accounts", "deposits", "foxes", "ideas", "theodolites", "pinto", "beans", "instructions",
      "dependencies", "excuses", "platelets", "asymptotes", "courts", "dolphins", "sleep", "wake", "are", "cajole",
      "haggle", "nag", "use", "boost", "affix", "detect", "integrate", "maintain", "nod", "among", "above", "along"};
  private static final char[] ALPHANUMERIC =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ".toCharArray();

  private static final Map<String, List<DatasetSpec.Column>> SCHEMAS = schemas();

  private final double scaleFactor;
  private final long seed;

  private TpchData(double scaleFactor, long seed) {
    if (!(scaleFactor > 0) || Double.isInfinite(scaleFactor) || scaleFactor > 1000) {
      throw new IllegalArgumentException("scale factor must be above 0 and at most 1000, was " + scaleFactor);
    }
    this.scaleFactor = scaleFactor;
    this.seed = seed;
    if (rowCount("supplier") < 4) {
      throw new IllegalArgumentException("scale factor " + scaleFactor + " gives " + rowCount("supplier")
          + " suppliers, and every part needs four: use a scale factor of 0.0004 or more");
    }
  }

  /** Data at a scale factor (1.0 is about 1 GB of CSV; 0.01 gives 15,000 orders), with {@link #DEFAULT_SEED}. */
  public static TpchData of(double scaleFactor) {
    return new TpchData(scaleFactor, DEFAULT_SEED);
  }

  public static TpchData of(double scaleFactor, long seed) {
    return new TpchData(scaleFactor, seed);
  }

  public double scaleFactor() {
    return scaleFactor;
  }

  public long seed() {
    return seed;
  }

  /**
   * The row count the specification sets for a table at this scale factor. Lineitem has no fixed count
   * (1 to 7 lines per order, 4 on average): its range is {@code orders} to {@code 7 × orders}.
   *
   * @throws IllegalArgumentException for lineitem and for a name that is not a TPC-H table
   */
  public long rowCount(String table) {
    return switch (table) {
      case "region" -> 5;
      case "nation" -> 25;
      case "supplier" -> scaled(10_000);
      case "part" -> scaled(200_000);
      case "partsupp" -> 4 * scaled(200_000);
      case "customer" -> scaled(150_000);
      case "orders" -> scaled(1_500_000);
      case "lineitem" -> throw new IllegalArgumentException("lineitem has 1 to 7 rows per order, no fixed count");
      default -> throw new IllegalArgumentException("'" + table + "' is not a TPC-H table; the tables: " + TABLES);
    };
  }

  private long scaled(long base) {
    return Math.max(1, Math.round(base * scaleFactor));
  }

  /** The columns of a table, with Spark SQL type names ({@code int}, {@code bigint}, {@code decimal(15,2)}, ...). */
  public static List<DatasetSpec.Column> schema(String table) {
    List<DatasetSpec.Column> s = SCHEMAS.get(table);
    if (s == null) {
      throw new IllegalArgumentException("'" + table + "' is not a TPC-H table; the tables: " + TABLES);
    }
    return s;
  }

  /** The dataset of a table written to {@code folder}: CSV with a header, at {@code folder/<table>.csv}. */
  public static DatasetSpec dataset(String table, Path folder) {
    return DatasetSpec.builder()
        .name(table)
        .description("TPC-H " + table)
        .format("csv")
        .path(folder.resolve(table + ".csv").toString())
        .putOptions("header", "true")
        .putOptions("separator", ",")
        .schema(schema(table))
        .build();
  }

  /** The eight datasets of {@code folder}, found by name ({@code lineitem}) or id ({@code datasets/lineitem}). */
  public static DatasetLookup lookup(Path folder) {
    Map<String, DatasetSpec> byName = new LinkedHashMap<>();
    TABLES.forEach(t -> byName.put(t, dataset(t, folder)));
    return id -> Optional.ofNullable(byName.get(DatasetLookup.nameOf(id)));
  }

  /**
   * Writes the eight tables into {@code folder} (created if missing) as {@code <table>.csv}, replacing
   * files of the same names.
   *
   * @return the rows written per table, in {@link #TABLES} order
   * @throws UncheckedIOException naming the file that could not be written
   */
  public Map<String, Long> write(Path folder) {
    Map<String, Long> counts = new LinkedHashMap<>();
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder " + folder + ": " + e.getMessage(), e);
    }
    try (Csv region = new Csv(folder, "region"); Csv nation = new Csv(folder, "nation")) {
      Rng r = stream(0);
      for (int i = 0; i < REGIONS.length; i++) {
        region.row(Integer.toString(i), REGIONS[i], comment(r, 31, 115));
      }
      Rng n = stream(1);
      for (int i = 0; i < NATIONS.length; i++) {
        nation.row(Integer.toString(i), NATIONS[i], Integer.toString(NATION_REGIONS[i]), comment(n, 31, 114));
      }
      counts.put("region", region.rows);
      counts.put("nation", nation.rows);
    }
    counts.put("supplier", suppliers(folder));
    counts.put("part", parts(folder));
    counts.put("partsupp", partsupps(folder));
    counts.put("customer", customers(folder));
    long[] ordersAndLines = ordersAndLineitems(folder);
    counts.put("orders", ordersAndLines[0]);
    counts.put("lineitem", ordersAndLines[1]);
    return counts;
  }

  private long suppliers(Path folder) {
    Rng r = stream(2);
    try (Csv out = new Csv(folder, "supplier")) {
      for (long k = 1; k <= rowCount("supplier"); k++) {
        int nation = r.between(0, 24);
        out.row(Long.toString(k), String.format("Supplier#%09d", k), text(r, 10, 40), Integer.toString(nation),
            phone(r, nation), money(r.between(-99_999, 999_999)), comment(r, 25, 100));
      }
      return out.rows;
    }
  }

  private long parts(Path folder) {
    Rng r = stream(3);
    try (Csv out = new Csv(folder, "part")) {
      for (long k = 1; k <= rowCount("part"); k++) {
        List<String> colors = new ArrayList<>();
        while (colors.size() < 5) {
          String c = COLORS[r.between(0, COLORS.length - 1)];
          if (!colors.contains(c)) {
            colors.add(c);
          }
        }
        int m = r.between(1, 5);
        out.row(Long.toString(k), String.join(" ", colors), "Manufacturer#" + m, "Brand#" + m + r.between(1, 5),
            pick(r, TYPE_1) + " " + pick(r, TYPE_2) + " " + pick(r, TYPE_3), Integer.toString(r.between(1, 50)),
            pick(r, CONTAINER_1) + " " + pick(r, CONTAINER_2), money(retailPriceCents(k)), comment(r, 5, 22));
      }
      return out.rows;
    }
  }

  /** P_RETAILPRICE in cents: (90000 + ((key / 10) mod 20001) + 100 × (key mod 1000)) / 100 dollars. */
  static long retailPriceCents(long partKey) {
    return 90_000 + (partKey / 10) % 20_001 + 100 * (partKey % 1_000);
  }

  /**
   * The four suppliers of a part: the specification's PS_SUPPKEY formula, {@code (partkey + i × (S/4 +
   * (partkey - 1)/S)) mod S + 1} for i = 0..3. At the specification's scale factors the four differ; at
   * some small ones (S = 20, 50 ...) the formula repeats a supplier, and the repeat moves on to the next
   * supplier not yet chosen, so that every part still has four distinct suppliers.
   */
  static long[] suppliersOf(long partKey, long suppliers) {
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      long s = (partKey + (i * (suppliers / 4 + (partKey - 1) / suppliers))) % suppliers + 1;
      while (contains(out, i, s)) {
        s = s % suppliers + 1;
      }
      out[i] = s;
    }
    return out;
  }

  private static boolean contains(long[] values, int n, long v) {
    for (int i = 0; i < n; i++) {
      if (values[i] == v) {
        return true;
      }
    }
    return false;
  }

  private long partsupps(Path folder) {
    Rng r = stream(4);
    long suppliers = rowCount("supplier");
    try (Csv out = new Csv(folder, "partsupp")) {
      for (long k = 1; k <= rowCount("part"); k++) {
        long[] four = suppliersOf(k, suppliers);
        for (int i = 0; i < 4; i++) {
          out.row(Long.toString(k), Long.toString(four[i]), Integer.toString(r.between(1, 9_999)),
              money(r.between(100, 100_000)), comment(r, 49, 198));
        }
      }
      return out.rows;
    }
  }

  private long customers(Path folder) {
    Rng r = stream(5);
    try (Csv out = new Csv(folder, "customer")) {
      for (long k = 1; k <= rowCount("customer"); k++) {
        int nation = r.between(0, 24);
        out.row(Long.toString(k), String.format("Customer#%09d", k), text(r, 10, 40), Integer.toString(nation),
            phone(r, nation), money(r.between(-99_999, 999_999)), pick(r, SEGMENTS), comment(r, 29, 116));
      }
      return out.rows;
    }
  }

  /** O_ORDERKEY of the i-th order (0-based): only the first 8 keys of each 32 are used. */
  static long orderKey(long index) {
    return (index / 8) * 32 + (index % 8) + 1;
  }

  private long[] ordersAndLineitems(Path folder) {
    Rng ro = stream(6);
    Rng rl = stream(7);
    long customers = rowCount("customer");
    long parts = rowCount("part");
    long suppliers = rowCount("supplier");
    long clerks = Math.max(1, Math.round(1_000 * scaleFactor));
    long lastOrderDay = END_DATE.toEpochDay() - 151;
    long current = CURRENT_DATE.toEpochDay();
    long lines = 0;
    try (Csv orders = new Csv(folder, "orders"); Csv lineitem = new Csv(folder, "lineitem")) {
      for (long i = 0; i < rowCount("orders"); i++) {
        long key = orderKey(i);
        long customer;
        do {
          customer = ro.between(1, customers);
        } while (customer % 3 == 0 && customers >= 3);
        long orderDay = ro.between(START_DATE.toEpochDay(), lastOrderDay);
        String priority = pick(ro, PRIORITIES);
        long clerk = ro.between(1, clerks);
        String orderComment = comment(ro, 19, 78);
        int n = rl.between(1, 7);
        long totalCents = 0;
        int shipped = 0;
        for (int line = 1; line <= n; line++) {
          long part = rl.between(1, parts);
          long supplier = suppliersOf(part, suppliers)[rl.between(0, 3)];
          int quantity = rl.between(1, 50);
          long priceCents = quantity * retailPriceCents(part);
          int discount = rl.between(0, 10);
          int tax = rl.between(0, 8);
          long shipDay = orderDay + rl.between(1, 121);
          long commitDay = orderDay + rl.between(30, 90);
          long receiptDay = shipDay + rl.between(1, 30);
          String returnFlag = receiptDay <= current ? (rl.between(0, 1) == 0 ? "R" : "A") : "N";
          String lineStatus = shipDay > current ? "O" : "F";
          if (lineStatus.equals("F")) {
            shipped++;
          }
          // extendedprice × (1 + tax) × (1 - discount), to the cent, half up
          totalCents += (priceCents * (100 + tax) * (100 - discount) + 5_000) / 10_000;
          lineitem.row(Long.toString(key), Long.toString(part), Long.toString(supplier), Integer.toString(line),
              quantity + ".00", money(priceCents), "0." + twoDigits(discount), "0." + twoDigits(tax), returnFlag,
              lineStatus, LocalDate.ofEpochDay(shipDay).toString(), LocalDate.ofEpochDay(commitDay).toString(),
              LocalDate.ofEpochDay(receiptDay).toString(), pick(rl, INSTRUCTIONS), pick(rl, SHIP_MODES),
              comment(rl, 10, 43));
          lines++;
        }
        String status = shipped == n ? "F" : shipped == 0 ? "O" : "P";
        orders.row(Long.toString(key), Long.toString(customer), status, money(totalCents),
            LocalDate.ofEpochDay(orderDay).toString(), priority, String.format("Clerk#%09d", clerk), "0", orderComment);
      }
      return new long[] {orders.rows, lines};
    }
  }

  private Rng stream(int table) {
    return new Rng(seed * 0x9E37_79B9_7F4A_7C15L + table * 0xBF58_476D_1CE4_E5B9L + Double.doubleToLongBits(scaleFactor));
  }

  private static String pick(Rng r, String[] values) {
    return values[r.between(0, values.length - 1)];
  }

  private static String phone(Rng r, int nation) {
    return (nation + 10) + "-" + r.between(100, 999) + "-" + r.between(100, 999) + "-" + r.between(1000, 9999);
  }

  private static String text(Rng r, int min, int max) {
    int n = r.between(min, max);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      // no space first or last, so that no value is blank or padded
      int letters = i == 0 || i == n - 1 ? ALPHANUMERIC.length - 2 : ALPHANUMERIC.length - 1;
      sb.append(ALPHANUMERIC[r.between(0, letters)]);
    }
    return sb.toString();
  }

  private static String comment(Rng r, int min, int max) {
    int n = r.between(min, max);
    StringBuilder sb = new StringBuilder();
    while (sb.length() < n) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[r.between(0, WORDS.length - 1)]);
    }
    return sb.substring(0, Math.min(sb.length(), max)).strip();
  }

  private static String twoDigits(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  /** Cents as a decimal with two places: {@code -12345} gives {@code -123.45}. */
  static String money(long cents) {
    long abs = Math.abs(cents);
    return (cents < 0 ? "-" : "") + abs / 100 + "." + twoDigits((int) (abs % 100));
  }

  private static Map<String, List<DatasetSpec.Column>> schemas() {
    Map<String, List<DatasetSpec.Column>> m = new LinkedHashMap<>();
    m.put("region", columns("r_regionkey int", "r_name string", "r_comment string"));
    m.put("nation", columns("n_nationkey int", "n_name string", "n_regionkey int", "n_comment string"));
    m.put("supplier", columns("s_suppkey int", "s_name string", "s_address string", "s_nationkey int",
        "s_phone string", "s_acctbal decimal(15,2)", "s_comment string"));
    m.put("part", columns("p_partkey int", "p_name string", "p_mfgr string", "p_brand string", "p_type string",
        "p_size int", "p_container string", "p_retailprice decimal(15,2)", "p_comment string"));
    m.put("partsupp", columns("ps_partkey int", "ps_suppkey int", "ps_availqty int", "ps_supplycost decimal(15,2)",
        "ps_comment string"));
    m.put("customer", columns("c_custkey int", "c_name string", "c_address string", "c_nationkey int",
        "c_phone string", "c_acctbal decimal(15,2)", "c_mktsegment string", "c_comment string"));
    m.put("orders", columns("o_orderkey bigint", "o_custkey int", "o_orderstatus string",
        "o_totalprice decimal(15,2)", "o_orderdate date", "o_orderpriority string", "o_clerk string",
        "o_shippriority int", "o_comment string"));
    m.put("lineitem", columns("l_orderkey bigint", "l_partkey int", "l_suppkey int", "l_linenumber int",
        "l_quantity decimal(15,2)", "l_extendedprice decimal(15,2)", "l_discount decimal(15,2)",
        "l_tax decimal(15,2)", "l_returnflag string", "l_linestatus string", "l_shipdate date", "l_commitdate date",
        "l_receiptdate date", "l_shipinstruct string", "l_shipmode string", "l_comment string"));
    return m;
  }

  private static List<DatasetSpec.Column> columns(String... nameAndType) {
    List<DatasetSpec.Column> out = new ArrayList<>();
    for (String s : nameAndType) {
      int space = s.indexOf(' ');
      out.add(new DatasetSpec.Column(s.substring(0, space), s.substring(space + 1), false));
    }
    return List.copyOf(out);
  }

  /** SplitMix64: a small, fully specified generator, so the data do not depend on the JDK's. */
  private static final class Rng {
    private long state;

    Rng(long seed) {
      this.state = seed;
    }

    long next() {
      long z = (state += 0x9E37_79B9_7F4A_7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
      return z ^ (z >>> 31);
    }

    /** Uniform in [low, high]. */
    long between(long low, long high) {
      long span = high - low + 1;
      return low + Math.floorMod(next(), span);
    }

    int between(int low, int high) {
      return (int) between((long) low, (long) high);
    }
  }

  /** One CSV file: a header, then rows; values never need quoting (the generator makes none that would). */
  private static final class Csv implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    long rows;

    Csv(Path folder, String table) {
      this.file = folder.resolve(table + ".csv");
      try {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        List<String> header = new ArrayList<>();
        schema(table).forEach(c -> header.add(c.name()));
        line(header.toArray(new String[0]));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    void row(String... values) {
      line(values);
      rows++;
    }

    private void line(String[] values) {
      try {
        for (int i = 0; i < values.length; i++) {
          String v = values[i];
          if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0) {
            throw new IllegalStateException("value '" + v + "' for " + file + " would need CSV quoting");
          }
          if (i > 0) {
            out.write(',');
          }
          out.write(v);
        }
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
