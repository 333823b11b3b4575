package io.prophecy.sdk.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Expression;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.GemSpec.Column;
import io.prophecy.sdk.pipeline.GemSpec.Order;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Generates a Scala project from a pipeline, in the layout of a Prophecy Scala project: a Maven
 * {@code pom.xml} (Spark 3.5.9, Scala 2.13), {@code src/main/scala/<package>/main.scala} with the
 * pipeline ({@code Main.apply(context)}) and its entry point, one object per gem under {@code graph/}
 * ({@code def apply(context: Context, in0: DataFrame): DataFrame}), a package per subgraph, and the
 * configuration under {@code config/} with its instances as resources.
 *
 * <pre>{@code
 * SortedMap<String, String> files = ScalaGenerator.generate(graph, datasets, "daily_revenue");
 * // Scala package io.prophecy.pipelines.daily_revenue; run: spark-submit --class io.prophecy.pipelines.daily_revenue.Main
 * //   target/daily_revenue-1.0.jar -i default -O '{"threshold": 5}'
 * }</pre>
 *
 * <p>The code needs Spark only. SQL expressions run as {@code expr("...")}, Scala expressions are
 * written as they are, and references to configuration fields in SQL are resolved when the pipeline
 * runs. The same pipeline always gives the same bytes; dataset options holding secrets are left out.
 */
public final class ScalaGenerator {
  /** The Spark the generated project builds against. */
  public static final String SPARK_VERSION = "3.5.9";
  /** The Scala of that Spark build. */
  public static final String SCALA_VERSION = "2.13.8";

  private static final String I1 = "  ";
  private static final String I2 = I1 + I1;
  private static final Set<String> GEM_RESERVED = reserved("Main", "Context", "Config", "ConfigStore", "graph",
      "config", "expr", "col", "lit", "count", "row_number", "Window", "WindowSpec", "DataFrame", "Dataset",
      "SparkSession", "Row", "Column", "apply", "main", "spark", "context", "substitute", "window", "functions",
      "types", "expressions", "package", "org", "io", "java", "scala", "Seq", "Map", "String");
  private static final Set<String> PARAM_RESERVED = reserved("context", "spark", "Config", "window", "expr", "col",
      "lit", "count", "row_number", "Window", "substitute");

  private static final Set<String> CONFIG_MEMBERS = Set.of("values", "updated", "copy", "equals", "hashCode",
      "toString", "canEqual", "productArity", "productElement", "productPrefix", "productIterator",
      "productElementName", "productElementNames", "getClass");

  private final PipelineGraph graph;
  private final DatasetLookup datasets;
  private final String pkg;
  private final ConfigFields config;
  private final SortedMap<String, String> files = new TreeMap<>();

  private ScalaGenerator(PipelineGraph graph, DatasetLookup datasets, String pkg) {
    this.graph = graph;
    this.datasets = datasets;
    this.pkg = pkg;
    this.config = ConfigFields.of(graph.configuration());
  }

  /**
   * The project's files by path relative to the pipeline's code folder ({@code pipelines/<name>/code}),
   * sorted by path.
   *
   * @param packageName the Scala package; a name without dots goes under {@code io.prophecy.pipelines},
   *     as Prophecy names it
   * @throws InvalidInputException naming the gem and field for what cannot be generated: a gem type the
   *     SDK does not know, a Python expression, a missing dataset, an unconnected input
   */
  public static SortedMap<String, String> generate(PipelineGraph graph, DatasetLookup datasets, String packageName) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(datasets, "datasets");
    if (packageName == null || packageName.isBlank()) {
      throw new InvalidInputException("packageName", "must not be empty");
    }
    String pkg = scalaPackage(packageName);
    for (String part : pkg.split("\\.", -1)) {
      if (!CodeText.isIdentifier(part) || CodeText.SCALA_KEYWORDS.contains(part)) {
        throw new InvalidInputException("packageName", "'" + packageName + "' is not a Scala package name; use "
            + "identifiers such as daily_revenue, separated by dots");
      }
    }
    ScalaGenerator g = new ScalaGenerator(graph, datasets, pkg);
    g.run();
    return g.files;
  }

  /** The Scala package {@link #generate} puts the code in; its {@code Main} object is the job's main class. */
  public static String scalaPackage(String packageName) {
    return packageName.contains(".") ? packageName : "io.prophecy.pipelines." + packageName;
  }

  private void run() {
    for (ConfigFields.Field f : config.fields) {
      if (CONFIG_MEMBERS.contains(f.name())) {
        throw new InvalidInputException("configuration field '" + f.name() + "'",
            "is a method of the generated Config case class; rename the field");
      }
    }
    CodeGraph code = CodeGraph.of(graph, GEM_RESERVED, PARAM_RESERVED);
    String src = "src/main/scala/" + pkg.replace('.', '/');
    files.put("pom.xml", pom());
    files.put(src + "/main.scala", mainFile(code));
    files.put(src + "/config/Config.scala", configFile());
    files.put(src + "/config/Context.scala", "package " + pkg + ".config\n\n"
        + "import org.apache.spark.sql.SparkSession\n\n"
        + "/** What every gem gets: the Spark session and the run's configuration. */\n"
        + "case class Context(spark: SparkSession, config: Config)\n");
    List<String> instances = new ArrayList<>();
    config.instanceFiles().forEach((name, json) -> {
      instances.add(CodeText.scala(name));
      files.put("src/main/resources/" + pkg.replace('.', '/') + "/config/" + name + ".json", json);
    });
    files.put(src + "/config/ConfigStore.scala", CodeText.template("ConfigStore.scala.txt", Map.of(
        "PACKAGE", pkg, "PIPELINE", graph.name().replace("*/", "* /"), "INSTANCES", String.join(", ", instances))));
    graphPackage(code, src + "/graph", pkg + ".graph");
  }

  // ---------------------------------------------------------------- project files

  private String pom() {
    String artifact = graph.name().replaceAll("[^A-Za-z0-9_.-]", "-");
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
          <modelVersion>4.0.0</modelVersion>
          <groupId>%1$s</groupId>
          <artifactId>%2$s</artifactId>
          <version>1.0</version>
          <packaging>jar</packaging>
          <description>Pipeline %3$s, generated by the Prophecy Java SDK.</description>

          <properties>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
            <scala.binary.version>2.13</scala.binary.version>
            <scala.version>%4$s</scala.version>
            <spark.version>%5$s</spark.version>
          </properties>

          <dependencies>
            <!-- Provided by the cluster (or spark-submit). -->
            <dependency>
              <groupId>org.scala-lang</groupId>
              <artifactId>scala-library</artifactId>
              <version>${scala.version}</version>
              <scope>provided</scope>
            </dependency>
            <dependency>
              <groupId>org.apache.spark</groupId>
              <artifactId>spark-sql_${scala.binary.version}</artifactId>
              <version>${spark.version}</version>
              <scope>provided</scope>
            </dependency>
          </dependencies>

          <build>
            <sourceDirectory>src/main/scala</sourceDirectory>
            <plugins>
              <plugin>
                <groupId>net.alchim31.maven</groupId>
                <artifactId>scala-maven-plugin</artifactId>
                <version>4.9.2</version>
                <configuration>
                  <scalaVersion>${scala.version}</scalaVersion>
                </configuration>
                <executions>
                  <execution>
                    <goals>
                      <goal>compile</goal>
                      <goal>testCompile</goal>
                    </goals>
                  </execution>
                </executions>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-jar-plugin</artifactId>
                <version>3.4.2</version>
                <configuration>
                  <archive>
                    <manifest>
                      <mainClass>%6$s.Main</mainClass>
                    </manifest>
                  </archive>
                </configuration>
              </plugin>
            </plugins>
          </build>
        </project>
        """.formatted(groupId(), artifact, xml(graph.name()), SCALA_VERSION, SPARK_VERSION, pkg);
  }

  private String groupId() {
    int dot = pkg.lastIndexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("--", "- -");
  }

  private String mainFile(CodeGraph code) {
    StringBuilder sb = new StringBuilder();
    sb.append("package ").append(pkg).append("\n\n");
    sb.append("import ").append(pkg).append(".config._\n");
    sb.append("import ").append(pkg).append(".graph._\n");
    sb.append("import org.apache.spark.sql.SparkSession\n\n");
    sb.append("object Main {\n\n");
    sb.append(I1).append("def apply(context: Context): Unit = {\n");
    calls(code).forEach(c -> sb.append(c).append('\n'));
    sb.append(I1).append("}\n\n");
    sb.append(I1).append("/** Runs the pipeline: -i <instance>, -O <JSON overrides>, -C name=value ..., ")
        .append("-f <JSON file>. */\n");
    sb.append(I1).append("def main(args: Array[String]): Unit = {\n");
    sb.append(I2).append("val config = ConfigStore.fromArgs(args)\n");
    Chain builder = Chain.on("SparkSession").call("builder").call("appName", CodeText.scala(graph.name()));
    CodeText.sparkConf(graph, builder, CodeText::scala).forEach(note -> sb.append(I2).append("// ").append(note).append('\n'));
    builder.call("getOrCreate");
    sb.append(builder.render(Chain.Style.SCALA, I2, "val spark = ")).append('\n');
    sb.append(I2).append("apply(Context(spark, config))\n");
    sb.append(I1).append("}\n\n");
    sb.append("}\n");
    return sb.toString();
  }


  private String configFile() {
    StringBuilder sb = new StringBuilder();
    sb.append("package ").append(pkg).append(".config\n\n");
    sb.append("/** The configuration fields of pipeline ").append(graph.name().replace("*/", "* /"))
        .append(", with their defaults. */\n");
    List<String> params = new ArrayList<>();
    for (ConfigFields.Field f : config.fields) {
      String p = I1 + id(f.name()) + ": " + f.kind().scala + " = " + scalaValue(f);
      params.add(f.secret() ? I1 + "// a secret: give it at run time (-O or -C); it is never written into code\n" + p : p);
    }
    sb.append("case class Config(").append(params.isEmpty() ? "" : "\n" + String.join(",\n", params) + "\n")
        .append(") {\n\n");
    sb.append(I1).append("/** This configuration with one field set from its text form. */\n");
    sb.append(I1).append("def updated(name: String, value: String): Config = name match {\n");
    for (ConfigFields.Field f : config.fields) {
      String parse = switch (f.kind()) {
        case STRING -> "value";
        case INT -> "value.trim.toInt";
        case LONG -> "value.trim.toLong";
        case DOUBLE -> "value.trim.toDouble";
        case BOOLEAN -> "value.trim.toBoolean";
      };
      sb.append(I2).append("case ").append(CodeText.scala(f.name())).append(" => copy(").append(id(f.name()))
          .append(" = ").append(parse).append(")\n");
    }
    String names = String.join(", ", config.fields.stream().map(ConfigFields.Field::name).toList());
    sb.append(I2).append("case other =>\n");
    sb.append(I2).append(I1).append("throw new IllegalArgumentException(\n");
    sb.append(I2).append(I2).append("s\"configuration field '$other' does not exist; fields: ")
        .append(names.isEmpty() ? "(none)" : names).append("\"\n");
    sb.append(I2).append(I1).append(")\n");
    sb.append(I1).append("}\n\n");
    sb.append(I1).append("/** The value of every field, by name. */\n");
    if (config.fields.isEmpty()) {
      sb.append(I1).append("def values: Map[String, Any] = Map.empty\n\n");
    } else {
      sb.append(I1).append("def values: Map[String, Any] = Map(\n");
      sb.append(String.join(",\n", config.fields.stream()
          .map(f -> I2 + CodeText.scala(f.name()) + " -> " + id(f.name())).toList()));
      sb.append('\n').append(I1).append(")\n\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static String scalaValue(ConfigFields.Field f) {
    return switch (f.kind()) {
      case STRING -> CodeText.scala(f.value().orElse(""));
      case INT -> f.value().orElse("0");
      case LONG -> f.value().orElse("0") + "L";
      case DOUBLE -> f.value().orElse("0.0");
      case BOOLEAN -> f.value().orElse("false");
    };
  }

  /** A Scala identifier: back-quoted when it is a keyword. */
  private static String id(String name) {
    return CodeText.SCALA_KEYWORDS.contains(name) ? "`" + name + "`" : name;
  }

  // ---------------------------------------------------------------- the graph

  private void graphPackage(CodeGraph code, String dir, String scalaPackage) {
    for (CodeGraph.Node n : code.nodes) {
      if (n.inner().isPresent()) {
        subgraph(n, dir + "/" + n.name(), scalaPackage);
      } else {
        files.put(dir + "/" + n.name() + ".scala", gemFile(n, scalaPackage));
      }
    }
  }

  private void subgraph(CodeGraph.Node sub, String dir, String scalaPackage) {
    CodeGraph inner = sub.inner().orElseThrow();
    graphPackage(inner, dir, scalaPackage + "." + sub.name());
    StringBuilder sb = new StringBuilder();
    sb.append("package ").append(scalaPackage).append("\n\n");
    sb.append("import ").append(pkg).append(".config.Context\n");
    sb.append("import ").append(scalaPackage).append('.').append(sub.name()).append("._\n");
    sb.append("import org.apache.spark.sql._\n\n");
    sb.append("/** Subgraph ").append(sub.gem().name().replace("*/", "* /")).append(": call it as ")
        .append(sub.name()).append(".apply(context, ...). */\n");
    sb.append("package object ").append(sub.name()).append(" {\n\n");
    sb.append(I1).append(signature(sub)).append(" {\n");
    calls(inner).forEach(c -> sb.append(c).append('\n'));
    sb.append(I2).append(result(inner.results)).append('\n');
    sb.append(I1).append("}\n\n");
    sb.append("}\n");
    files.put(dir + "/package.scala", sb.toString());
  }

  private static String result(List<String> results) {
    return switch (results.size()) {
      case 0 -> "()";
      case 1 -> results.get(0);
      default -> "(" + String.join(", ", results) + ")";
    };
  }

  /** The calls of a pipeline or subgraph body: {@code val df_B = B(context, df_A)}, in the order the gems run. */
  private static List<String> calls(CodeGraph code) {
    List<String> out = new ArrayList<>();
    for (CodeGraph.Node n : code.nodes) {
      List<String> args = new ArrayList<>(List.of("context"));
      n.inputs().forEach(i -> args.add(i.variable()));
      String call = n.name() + (n.inner().isPresent() ? ".apply" : "") + "(" + String.join(", ", args) + ")";
      List<String> vars = n.outputs().stream().map(CodeGraph.Output::variable).toList();
      String lhs = switch (vars.size()) {
        case 0 -> "";
        case 1 -> "val " + vars.get(0) + " = ";
        default -> "val (" + String.join(", ", vars) + ") = ";
      };
      out.add(I2 + lhs + call);
    }
    return out;
  }

  private static String signature(CodeGraph.Node n) {
    List<String> params = new ArrayList<>(List.of("context: Context"));
    n.inputs().forEach(i -> params.add(id(i.param()) + ": DataFrame"));
    String result = switch (n.outputs().size()) {
      case 0 -> "Unit";
      case 1 -> "DataFrame";
      default -> "(" + String.join(", ", n.outputs().stream().map(o -> "DataFrame").toList()) + ")";
    };
    return "def apply(" + String.join(", ", params) + "): " + result + " =";
  }

  private String gemFile(CodeGraph.Node n, String scalaPackage) {
    Body body = new Body();
    String code = body(n, body);
    StringBuilder sb = new StringBuilder();
    sb.append("package ").append(scalaPackage).append("\n\n");
    if (body.substitutes) {
      sb.append("import ").append(pkg).append(".config.ConfigStore.substitute\n");
    }
    sb.append("import ").append(pkg).append(".config.Context\n");
    sb.append("import org.apache.spark.sql._\n");
    sb.append("import org.apache.spark.sql.expressions._\n");
    sb.append("import org.apache.spark.sql.functions._\n");
    sb.append("import org.apache.spark.sql.types._\n\n");
    sb.append("object ").append(n.name()).append(" {\n\n");
    sb.append(I1).append(signature(n)).append(" {\n");
    if (body.usesConfig) {
      sb.append(I2).append("val Config = context.config\n");
    }
    sb.append(code).append('\n');
    sb.append(I1).append("}\n\n");
    sb.append("}\n");
    return sb.toString();
  }

  /** What a gem's body needs besides its code. */
  private static final class Body {
    boolean substitutes;
    boolean usesConfig;
  }

  // ---------------------------------------------------------------- gem bodies

  private String body(CodeGraph.Node n, Body b) {
    GemSpec spec = n.gem().spec();
    if (spec instanceof GemSpec.Source s) {
      return source(n, s, b);
    } else if (spec instanceof GemSpec.Target t) {
      return target(n, t, b);
    } else if (spec instanceof GemSpec.Reformat r) {
      return value(Chain.on(GemRules.in0(n)).call("select", columns(n, "expressions", r.columns(), b)));
    } else if (spec instanceof GemSpec.Filter f) {
      return value(Chain.on(GemRules.in0(n)).call("filter", column(n, "condition", f.condition(), b)));
    } else if (spec instanceof GemSpec.Join j) {
      return join(n, j, b);
    } else if (spec instanceof GemSpec.Aggregate a) {
      return aggregate(n, a, b);
    } else if (spec instanceof GemSpec.OrderBy o) {
      return value(Chain.on(GemRules.in0(n)).call("orderBy", orders(n, "orders", o.orders(), b)));
    } else if (spec instanceof GemSpec.Limit l) {
      return value(Chain.on(GemRules.in0(n)).call("limit", limit(n, l, b)));
    } else if (spec instanceof GemSpec.Deduplicate d) {
      return deduplicate(n, d, b);
    } else if (spec instanceof GemSpec.SetOperation s) {
      return setOperation(n, s);
    } else if (spec instanceof GemSpec.SchemaTransform s) {
      return schemaTransform(n, s, b);
    } else if (spec instanceof GemSpec.Repartition r) {
      return repartition(n, r, b);
    } else if (spec instanceof GemSpec.WindowFunction w) {
      return window(n, w, b);
    } else if (spec instanceof GemSpec.SqlStatement s) {
      return sqlStatement(n, s, b);
    } else if (spec instanceof GemSpec.Script s) {
      return script(n, s, b);
    }
    throw GemRules.unsupported(n);
  }

  private static String value(Chain chain) {
    return chain.render(Chain.Style.SCALA, I2, "");
  }

  private String source(CodeGraph.Node n, GemSpec.Source s, Body b) {
    DatasetIo io = DatasetIo.of(n.path(), s.datasetId(), datasets);
    StringBuilder sb = new StringBuilder();
    io.leftOutNote().ifPresent(note -> sb.append(I2).append("// ").append(note).append('\n'));
    Chain c = Chain.on("context.spark.read");
    String location = text(io.checkedLocation(n.path()), b);
    switch (io.kind()) {
      case CATALOG -> c.call("table", location);
      case FILES -> {
        c.call("format", CodeText.scala(io.format()));
        io.schemaDdl().ifPresent(ddl -> c.call("schema", CodeText.scala(ddl)));
        io.options().forEach((k, v) -> c.call("option", CodeText.scala(k), text(v, b)));
        c.call("load", location);
      }
      case CONNECTOR -> {
        c.call("format", CodeText.scala(io.format()));
        io.options().forEach((k, v) -> c.call("option", CodeText.scala(k), text(v, b)));
        c.call("load");
      }
    }
    return sb.append(value(c)).toString();
  }

  private String target(CodeGraph.Node n, GemSpec.Target t, Body b) {
    String in0 = GemRules.in0(n);
    DatasetIo io = DatasetIo.of(n.path(), t.datasetId(), datasets);
    StringBuilder sb = new StringBuilder();
    io.leftOutNote().ifPresent(note -> sb.append(I2).append("// ").append(note).append('\n'));
    Chain c = Chain.on(in0 + ".write");
    if (io.kind() != DatasetIo.Kind.CATALOG) {
      c.call("format", CodeText.scala(io.format()));
    }
    c.call("mode", CodeText.scala(io.checkedWriteMode(n.path())));
    io.options().forEach((k, v) -> c.call("option", CodeText.scala(k), text(v, b)));
    if (!io.partitionColumns().isEmpty()) {
      c.call("partitionBy", io.partitionColumns().stream().map(CodeText::scala).toList());
    }
    String location = text(io.checkedLocation(n.path()), b);
    switch (io.kind()) {
      case CATALOG -> c.call("saveAsTable", location);
      case FILES -> c.call("save", location);
      case CONNECTOR -> c.call("save");
    }
    return sb.append(value(c)).toString();
  }

  private String join(CodeGraph.Node n, GemSpec.Join j, Body b) {
    GemRules.atLeastTwoInputs(n);
    CodeGraph.Input first = n.inputs().get(0);
    Chain c = Chain.on(id(first.param())).call("as", CodeText.scala(first.slug()));
    for (CodeGraph.Input in : n.inputs().subList(1, n.inputs().size())) {
      int index = GemRules.conditionIndex(n, j, in.slug());
      GemSpec.JoinCondition cond = j.conditions().get(index);
      String other = id(in.param()) + ".as(" + CodeText.scala(in.slug()) + ")";
      if (cond.type() == GemSpec.JoinType.CROSS) {
        c.call("crossJoin", other);
      } else {
        c.call("join", other, column(n, "conditions[" + index + "].expression", cond.on(), b),
            CodeText.scala(cond.type().spelling()));
      }
    }
    j.where().ifPresent(w -> c.call("filter", column(n, "whereClause", w, b)));
    if (!j.columns().isEmpty()) {
      c.call("select", columns(n, "expressions", j.columns(), b));
    }
    return value(c);
  }

  private String aggregate(CodeGraph.Node n, GemSpec.Aggregate a, Body b) {
    GemRules.checkAggregate(n, a);
    List<String> groups = columns(n, "groupBy", a.groupBy(), b);
    List<String> aggs = columns(n, "aggregate", a.aggregates(), b);
    Chain c = Chain.on(GemRules.in0(n));
    if (a.pivotColumn().isPresent()) {
      String pivot = GemRules.plainName(a.pivotColumn().get());
      if (pivot == null) {
        pivot = "__pivot";
        c.call("withColumn", CodeText.scala(pivot), column(n, "pivotColumn", a.pivotColumn().get(), b));
      }
      List<String> pivotArgs = new ArrayList<>(List.of(CodeText.scala(pivot)));
      if (!a.pivotValues().isEmpty()) {
        pivotArgs.add("Seq(" + String.join(", ", a.pivotValues().stream().map(CodeText::scala).toList()) + ")");
      }
      c.call("groupBy", groups).call("pivot", pivotArgs).call("agg", aggs);
    } else if (aggs.isEmpty()) {
      c.call("select", groups).call("distinct");
    } else if (groups.isEmpty()) {
      c.call("agg", aggs);
    } else {
      c.call("groupBy", groups).call("agg", aggs);
    }
    return value(c);
  }

  private String limit(CodeGraph.Node n, GemSpec.Limit l, Body b) {
    Expression e = l.count();
    String t = GemRules.limitText(n, e);
    if (t.matches("[0-9]+")) {
      return t;
    }
    if (e.format().equals("scala")) {
      b.usesConfig |= t.contains("Config.");
      return t;
    }
    if (e.isSql() && config.referenced(t)) {
      b.substitutes = true;
      return "substitute(context.config, " + CodeText.scala(t) + ").trim.toInt";
    }
    throw GemRules.badLimit(n, t);
  }

  private String deduplicate(CodeGraph.Node n, GemSpec.Deduplicate d, Body b) {
    String in0 = GemRules.in0(n);
    if (d.type() == GemSpec.DedupType.DISTINCT) {
      return value(Chain.on(in0).call("distinct"));
    }
    List<String> names = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < d.columns().size(); i++) {
      Expression k = Expression.sql(d.columns().get(i));
      keys.add(column(n, "dedupColumns[" + i + "]", k, b));
      names.add(GemRules.plainName(k));
    }
    boolean ordered = GemRules.ordered(d);
    if (!ordered && d.type() != GemSpec.DedupType.UNIQUE_ONLY && !names.contains(null)) {
      return value(Chain.on(in0).call("dropDuplicates", names.isEmpty() ? List.of()
          : List.of("Seq(" + String.join(", ", names.stream().map(CodeText::scala).toList()) + ")")));
    }
    GemRules.checkDedupKeys(n, d);
    Chain w = Chain.on("Window").call("partitionBy", keys);
    String marker;
    String value;
    if (d.type() == GemSpec.DedupType.UNIQUE_ONLY) {
      marker = "__count";
      value = "count(lit(1)).over(window)";
    } else {
      w.call("orderBy", ordered ? orders(n, "orders", GemRules.dedupOrders(d), b) : keys);
      marker = "__row_number";
      value = "row_number().over(window)";
    }
    return w.render(Chain.Style.SCALA, I2, "val window = ") + "\n" + value(Chain.on(in0)
        .call("withColumn", CodeText.scala(marker), value)
        .call("filter", "expr(" + CodeText.scala(marker + " = 1") + ")")
        .call("drop", CodeText.scala(marker)));
  }

  private String setOperation(CodeGraph.Node n, GemSpec.SetOperation s) {
    GemRules.atLeastTwoInputs(n);
    Chain c = Chain.on(id(n.inputs().get(0).param()));
    for (CodeGraph.Input in : n.inputs().subList(1, n.inputs().size())) {
      String other = id(in.param());
      switch (s.operation()) {
        case UNION_ALL -> c.call("union", other);
        case UNION_BY_NAME -> c.call("unionByName", s.allowMissingColumns()
            ? List.of(other, "allowMissingColumns = true") : List.of(other));
        case INTERSECT_ALL -> c.call("intersectAll", other);
        case EXCEPT_ALL -> c.call("exceptAll", other);
      }
    }
    return value(c);
  }

  private String schemaTransform(CodeGraph.Node n, GemSpec.SchemaTransform s, Body b) {
    Chain c = Chain.on(GemRules.in0(n));
    for (int i = 0; i < s.operations().size(); i++) {
      GemSpec.SchemaOp op = s.operations().get(i);
      String field = "transformations[" + i + "]";
      GemRules.checkSchemaOp(n, field, op);
      switch (op.kind()) {
        case ADD_REPLACE -> c.call("withColumn", CodeText.scala(op.column()),
            column(n, field + ".expression", op.expression().orElse(Expression.sql("")), b));
        case DROP -> c.call("drop", CodeText.scala(op.column()));
        case RENAME -> c.call("withColumnRenamed", CodeText.scala(op.column()),
            CodeText.scala(GemRules.renameTarget(n, field, op)));
      }
    }
    return value(c);
  }

  private String repartition(CodeGraph.Node n, GemSpec.Repartition r, Body b) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < r.keys().size(); i++) {
      keys.add(column(n, "expressions[" + i + "]", r.keys().get(i), b));
    }
    return value(Chain.on(GemRules.in0(n)).call(GemRules.repartitionMethod(r), GemRules.repartitionArgs(n, r, keys)));
  }

  private String window(CodeGraph.Node n, GemSpec.WindowFunction w, Body b) {
    String in0 = GemRules.in0(n);
    GemRules.checkWindow(n, w);
    boolean sqlFrame = GemRules.frameNeedsSql(w);
    Chain c = Chain.on(in0);
    boolean usesWindow = false;
    for (int i = 0; i < w.columns().size(); i++) {
      Column col = w.columns().get(i);
      String field = "expressionColumns[" + i + "]";
      String name = CodeText.scala(GemRules.target(n, field, col));
      if (GemRules.hasOver(col.expression())) {
        c.call("withColumn", name, column(n, field + ".expression", col.expression(), b));
      } else if (sqlFrame) {
        c.call("withColumn", name, column(n, field + ".expression", GemRules.withOver(n, w, col), b));
      } else {
        usesWindow = true;
        String e = column(n, field + ".expression", col.expression(), b);
        c.call("withColumn", name, method(col.expression(), e) + ".over(window)");
      }
    }
    return (usesWindow ? windowSpec(n, w, b).render(Chain.Style.SCALA, I2, "val window = ") + "\n" : "") + value(c);
  }

  private Chain windowSpec(CodeGraph.Node n, GemSpec.WindowFunction w, Body b) {
    List<String> partition = new ArrayList<>();
    for (int i = 0; i < w.partitionBy().size(); i++) {
      partition.add(column(n, "partitionColumns[" + i + "]", w.partitionBy().get(i), b));
    }
    Chain spec = Chain.on("Window");
    if (!partition.isEmpty() || w.orderBy().isEmpty()) {
      spec.call("partitionBy", partition);
    }
    if (!w.orderBy().isEmpty()) {
      spec.call("orderBy", orders(n, "orderColumns", w.orderBy(), b));
    }
    w.frame().filter(f -> !f.isBlank()).flatMap(WindowFrame::parse)
        .ifPresent(f -> spec.call(f.method(), f.start(), f.end()));
    return spec;
  }

  private String sqlStatement(CodeGraph.Node n, GemSpec.SqlStatement s, Body b) {
    String sql = GemRules.statement(n, s);
    StringBuilder sb = new StringBuilder();
    for (CodeGraph.Input in : n.inputs()) {
      sb.append(I2).append(id(in.param())).append(".createOrReplaceTempView(").append(CodeText.scala(in.slug()))
          .append(")\n");
    }
    return sb.append(I2).append("context.spark.sql(").append(text(sql, b)).append(")").toString();
  }

  private String script(CodeGraph.Node n, GemSpec.Script s, Body b) {
    String code = GemRules.script(n, s, "scala", "Scala");
    b.usesConfig |= code.contains("Config");
    List<String> outs = GemRules.scriptOutputs(n);
    String spark = code.contains("spark") ? I2 + "val spark = context.spark\n" : "";
    return spark + CodeText.indent(code, I2) + (outs.isEmpty() ? "" : "\n" + I2 + result(outs));
  }

  // ---------------------------------------------------------------- expressions

  private List<String> columns(CodeGraph.Node n, String field, List<Column> cols, Body b) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      Column c = cols.get(i);
      String f = field + "[" + i + "]";
      String code = column(n, f + ".expression", c.expression(), b);
      out.add(method(c.expression(), code) + ".as(" + CodeText.scala(GemRules.target(n, f, c)) + ")");
    }
    return out;
  }

  private List<String> orders(CodeGraph.Node n, String field, List<Order> orders, Body b) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      Order o = orders.get(i);
      String code = column(n, field + "[" + i + "].expression", o.expression(), b);
      out.add(method(o.expression(), code) + "." + o.sort().spelling());
    }
    return out;
  }

  private static String method(Expression e, String code) {
    return !e.isSql() && CodeText.needsParentheses(code) ? "(" + code + ")" : code;
  }

  /** A Column: {@code expr("...")} for SQL, the code itself for Scala. */
  private String column(CodeGraph.Node n, String field, Expression e, Body b) {
    if (e.isBlank()) {
      throw GemRules.error(n, field, "the expression is empty");
    }
    if (e.isSql()) {
      return "expr(" + text(e.text().trim(), b) + ")";
    }
    if (e.format().equals("scala")) {
      b.usesConfig |= e.text().contains("Config.");
      return e.text().trim();
    }
    throw GemRules.otherLanguage(n, field, e, "Scala");
  }

  /** A string literal; SQL text that names configuration fields is resolved when the pipeline runs. */
  private String text(String sql, Body b) {
    if (config.referenced(sql)) {
      b.substitutes = true;
      return "substitute(context.config, " + CodeText.scala(sql) + ")";
    }
    return CodeText.scala(sql);
  }

  private static Set<String> reserved(String... names) {
    Set<String> out = new HashSet<>(CodeText.SCALA_KEYWORDS);
    out.addAll(List.of(names));
    return Set.copyOf(out);
  }
}
