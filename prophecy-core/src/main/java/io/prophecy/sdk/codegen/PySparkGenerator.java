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
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generates a PySpark project from a pipeline, in the layout of a Prophecy Python project: a package
 * with one module per gem under {@code graph/}, the pipeline in {@code pipeline.py}, the configuration
 * under {@code config/} and its instances under {@code configs/resources/config/}, and a {@code setup.py}
 * that builds a wheel whose {@code main} entry point runs the pipeline.
 *
 * <pre>{@code
 * SortedMap<String, String> files = PySparkGenerator.generate(graph, datasets, "daily_revenue");
 * files.forEach((path, text) -> write(codeDir.resolve(path), text)); // codeDir: pipelines/<name>/code
 * }</pre>
 *
 * <p>The code is self-contained: it needs PySpark only (no Prophecy library). SQL expressions run as
 * {@code expr("...")}; Python expressions are written as they are; references to configuration fields
 * in SQL ({@code '$x'}, {@code ${x}}) are resolved when the pipeline runs, from the instance and
 * overrides given on the command line ({@code -i default -O '{"x": 1}'}), as Prophecy's jobs pass them.
 * The same pipeline always gives the same bytes. Dataset options holding secrets are left out.
 */
public final class PySparkGenerator {
  private static final String I1 = "    ";
  private static final String I2 = I1 + I1;
  private static final Set<String> GEM_RESERVED = reserved("pipeline", "main", "spark", "Config", "Utils",
      "substitute", "parse_args", "graph", "config", "expr", "col", "lit", "count", "row_number", "Window",
      "WindowSpec", "DataFrame", "SparkSession", "Row", "Column", "window", "int", "str", "float", "bool", "print",
      "setup", "__init__");
  private static final Set<String> PARAM_RESERVED = reserved("spark", "Config", "window", "substitute", "expr", "col",
      "lit", "count", "row_number", "Window", "DataFrame", "SparkSession");

  private final PipelineGraph graph;
  private final DatasetLookup datasets;
  private final String pkg;
  private final ConfigFields config;
  private final SortedMap<String, String> files = new TreeMap<>();

  private PySparkGenerator(PipelineGraph graph, DatasetLookup datasets, String pkg) {
    this.graph = graph;
    this.datasets = datasets;
    this.pkg = pkg;
    this.config = ConfigFields.of(graph.configuration());
  }

  /**
   * The project's files by path relative to the pipeline's code folder ({@code pipelines/<name>/code}),
   * sorted by path.
   *
   * @param packageName the Python package, such as {@code daily_revenue} (dotted names make nested packages)
   * @throws InvalidInputException naming the gem and field for what cannot be generated: a gem type the
   *     SDK does not know, a Scala expression, a missing dataset, an unconnected input
   */
  public static SortedMap<String, String> generate(PipelineGraph graph, DatasetLookup datasets, String packageName) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(datasets, "datasets");
    checkPackage(packageName);
    PySparkGenerator g = new PySparkGenerator(graph, datasets, packageName);
    g.run();
    return g.files;
  }

  private static void checkPackage(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("packageName", "must not be empty");
    }
    for (String part : name.split("\\.", -1)) {
      if (!CodeText.isIdentifier(part) || CodeText.PYTHON_KEYWORDS.contains(part)) {
        throw new InvalidInputException("packageName", "'" + name + "' is not a Python package name; use "
            + "identifiers such as daily_revenue, separated by dots");
      }
    }
  }

  private void run() {
    for (ConfigFields.Field f : config.fields) {
      if (CodeText.PYTHON_KEYWORDS.contains(f.name()) || f.name().equals("update")) {
        throw new InvalidInputException("configuration field '" + f.name() + "'",
            "is a Python keyword or a method of the generated Config class; rename the field");
      }
    }
    CodeGraph code = CodeGraph.of(graph, GEM_RESERVED, PARAM_RESERVED);
    String dir = pkg.replace('.', '/');
    String[] parts = pkg.split("\\.");
    for (int i = 1; i <= parts.length; i++) {
      files.put(String.join("/", java.util.Arrays.copyOf(parts, i)) + "/__init__.py", "");
    }
    files.put("setup.py", setup(parts));
    // what spark-submit runs when it is given the code folder rather than the wheel
    files.put("main.py", "from " + pkg + ".pipeline import main\n\nmain()\n");
    files.put(dir + "/pipeline.py", pipelineModule(code));
    files.put(dir + "/config/__init__.py", "");
    files.put(dir + "/config/Config.py", configModule());
    files.put(dir + "/config/ConfigStore.py", configStore(parts.length));
    config.instanceFiles().forEach((name, json) -> files.put("configs/resources/config/" + name + ".json", json));
    graphPackage(code, dir + "/graph");
  }

  // ---------------------------------------------------------------- project files

  private String setup(String[] parts) {
    List<String> include = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      include.add(CodeText.python(String.join(".", java.util.Arrays.copyOf(parts, i))));
    }
    include.add(CodeText.python(pkg + "*"));
    return "from setuptools import find_packages, setup\n\n"
        + "setup(\n"
        + I1 + "name=" + CodeText.python(graph.name()) + ",\n"
        + I1 + "version=\"1.0\",\n"
        + I1 + "description=" + CodeText.python("Pipeline " + graph.name() + ", generated by the Prophecy Java SDK")
        + ",\n"
        + I1 + "packages=find_packages(include=(" + String.join(", ", include) + ",)) + [\"prophecy_config_instances\"],\n"
        + I1 + "package_dir={\"prophecy_config_instances\": \"configs/resources/config\"},\n"
        + I1 + "package_data={\"prophecy_config_instances\": [\"*.json\"]},\n"
        + I1 + "python_requires=\">=3.8\",\n"
        + I1 + "entry_points={\"console_scripts\": [\"main = " + pkg + ".pipeline:main\"]},\n"
        + ")\n";
  }

  private String pipelineModule(CodeGraph code) {
    StringBuilder sb = new StringBuilder();
    sb.append("from pyspark.sql import SparkSession\n\n");
    sb.append("from ").append(pkg).append(".config.ConfigStore import *\n");
    sb.append("from ").append(pkg).append(".graph import *\n\n\n");
    sb.append("def pipeline(spark: SparkSession) -> None:\n");
    List<String> calls = calls(code);
    sb.append(calls.isEmpty() ? I1 + "pass\n" : String.join("\n", calls) + "\n");
    sb.append("\n\n");
    sb.append("def main(argv=None) -> None:\n");
    sb.append(I1).append("\"\"\"Runs the pipeline with the configuration the arguments give:\n")
        .append(I1).append("-i <instance>, -O <JSON overrides>, -C name=value ..., -f <JSON file>.\"\"\"\n");
    sb.append(I1).append("args = parse_args(argv)\n");
    Chain builder = Chain.on("SparkSession.builder").call("appName", CodeText.python(graph.name()));
    List<String> notes = CodeText.sparkConf(graph, builder, CodeText::python);
    notes.forEach(n -> sb.append(I1).append("# ").append(n).append('\n'));
    builder.call("getOrCreate");
    sb.append(builder.render(Chain.Style.PYTHON, I1, "spark = ")).append('\n');
    sb.append(I1).append("Utils.initializeFromArgs(args)\n");
    sb.append(I1).append("pipeline(spark)\n\n\n");
    sb.append("if __name__ == \"__main__\":\n");
    sb.append(I1).append("main()\n");
    return sb.toString();
  }


  private String configModule() {
    StringBuilder sb = new StringBuilder();
    sb.append("\"\"\"The configuration fields of pipeline ").append(graph.name().replace("\"", "'"))
        .append(", with their defaults.\"\"\"\n");
    sb.append("from typing import Any, Dict\n\n");
    sb.append("FIELDS: Dict[str, type] = {");
    if (config.fields.isEmpty()) {
      sb.append("}\n");
    } else {
      sb.append('\n');
      for (ConfigFields.Field f : config.fields) {
        sb.append(I1).append(CodeText.python(f.name())).append(": ").append(f.kind().python).append(",\n");
      }
      sb.append("}\n");
    }
    sb.append("\n\n");
    sb.append("def _typed(kind: type, value: Any) -> Any:\n");
    sb.append(I1).append("if kind is bool and isinstance(value, str):\n");
    sb.append(I2).append("return value.strip().lower() == \"true\"\n");
    sb.append(I1).append("return kind(value)\n\n\n");
    sb.append("class Config:\n");
    sb.append(I1).append("\"\"\"One attribute per configuration field; ConfigStore sets them for a run.\"\"\"\n\n");
    sb.append(I1).append("def __init__(self) -> None:\n");
    if (config.fields.isEmpty()) {
      sb.append(I2).append("pass\n");
    }
    for (ConfigFields.Field f : config.fields) {
      if (f.secret()) {
        sb.append(I2).append("# A secret: give it at run time (-O or -C); it is never written into code.\n");
      }
      sb.append(I2).append("self.").append(f.name()).append(" = ").append(pythonValue(f)).append('\n');
    }
    sb.append('\n');
    sb.append(I1).append("def update(self, **values: Any) -> None:\n");
    sb.append(I2).append("for name, value in values.items():\n");
    sb.append(I2).append(I1).append("if name not in FIELDS:\n");
    sb.append(I2).append(I2).append("raise ValueError(\n");
    sb.append(I2).append(I2).append(I1)
        .append("f\"configuration field '{name}' does not exist; fields: {sorted(FIELDS)}\"\n");
    sb.append(I2).append(I2).append(")\n");
    sb.append(I2).append(I1).append("setattr(self, name, _typed(FIELDS[name], value))\n");
    return sb.toString();
  }

  private static String pythonValue(ConfigFields.Field f) {
    Optional<String> v = f.value();
    return switch (f.kind()) {
      case STRING -> CodeText.python(v.orElse(""));
      case INT, LONG -> v.orElse("0");
      case DOUBLE -> v.orElse("0.0");
      case BOOLEAN -> v.map(b -> b.equals("true") ? "True" : "False").orElse("False");
    };
  }

  private String configStore(int depth) {
    List<String> up = new ArrayList<>();
    for (int i = 0; i <= depth; i++) {
      up.add("os.pardir");
    }
    List<String> instances = new ArrayList<>();
    config.instanceFiles().keySet().forEach(n -> instances.add(CodeText.python(n)));
    return CodeText.template("ConfigStore.py.txt", Map.of(
        "PIPELINE", graph.name().replace("\"", "'"),
        "CODE_ROOT", String.join(", ", up),
        "INSTANCES", String.join(", ", instances)));
  }

  // ---------------------------------------------------------------- the graph

  /** Writes a graph package: {@code __init__.py}, a module per gem, a subpackage per subgraph. */
  private void graphPackage(CodeGraph code, String dir) {
    TreeSet<String> names = new TreeSet<>();
    for (CodeGraph.Node n : code.nodes) {
      names.add(n.name());
      if (n.inner().isPresent()) {
        subgraphPackage(n, dir + "/" + n.name());
      } else {
        files.put(dir + "/" + n.name() + ".py", gemModule(n));
      }
    }
    StringBuilder init = new StringBuilder();
    names.forEach(n -> init.append("from .").append(n).append(" import ").append(n).append('\n'));
    files.put(dir + "/__init__.py", init.toString());
  }

  private void subgraphPackage(CodeGraph.Node sub, String dir) {
    CodeGraph inner = sub.inner().orElseThrow();
    graphPackage(inner, dir);
    String init = files.get(dir + "/__init__.py") + "from ." + sub.name() + " import " + sub.name() + "\n";
    files.put(dir + "/__init__.py", init);
    StringBuilder sb = new StringBuilder();
    sb.append("from pyspark.sql import *\n\n");
    TreeSet<String> names = new TreeSet<>();
    inner.nodes.forEach(n -> names.add(n.name()));
    names.forEach(n -> sb.append("from .").append(n).append(" import ").append(n).append('\n'));
    sb.append("\n\n").append(signature(sub)).append('\n');
    calls(inner).forEach(c -> sb.append(c).append('\n'));
    if (!inner.results.isEmpty()) {
      sb.append(I1).append("return ").append(String.join(", ", inner.results)).append('\n');
    } else if (inner.nodes.isEmpty()) {
      sb.append(I1).append("pass\n");
    }
    files.put(dir + "/" + sub.name() + ".py", sb.toString());
  }

  /** The calls of a pipeline or subgraph body: {@code df_B = B(spark, df_A)}, in the order the gems run. */
  private static List<String> calls(CodeGraph code) {
    List<String> out = new ArrayList<>();
    for (CodeGraph.Node n : code.nodes) {
      List<String> args = new ArrayList<>(List.of("spark"));
      n.inputs().forEach(i -> args.add(i.variable()));
      String call = n.name() + "(" + String.join(", ", args) + ")";
      List<String> vars = n.outputs().stream().map(CodeGraph.Output::variable).toList();
      out.add(I1 + (vars.isEmpty() ? "" : String.join(", ", vars) + " = ") + call);
    }
    return out;
  }

  private static String signature(CodeGraph.Node n) {
    List<String> params = new ArrayList<>(List.of("spark: SparkSession"));
    n.inputs().forEach(i -> params.add(i.param() + ": DataFrame"));
    String result = switch (n.outputs().size()) {
      case 0 -> "None";
      case 1 -> "DataFrame";
      default -> "(" + String.join(", ", n.outputs().stream().map(o -> "DataFrame").toList()) + ")";
    };
    String oneLine = "def " + n.name() + "(" + String.join(", ", params) + ") -> " + result + ":";
    if (oneLine.length() <= Chain.Style.PYTHON.width) {
      return oneLine;
    }
    return "def " + n.name() + "(\n" + I1 + String.join(",\n" + I1, params) + ",\n) -> " + result + ":";
  }

  private String gemModule(CodeGraph.Node n) {
    StringBuilder sb = new StringBuilder();
    sb.append("from pyspark.sql import *\n");
    sb.append("from pyspark.sql.functions import *\n");
    sb.append("from pyspark.sql.types import *\n\n");
    sb.append("from ").append(pkg).append(".config.ConfigStore import *\n\n\n");
    sb.append(signature(n)).append('\n');
    sb.append(body(n)).append('\n');
    return sb.toString();
  }

  // ---------------------------------------------------------------- gem bodies

  private String body(CodeGraph.Node n) {
    GemSpec spec = n.gem().spec();
    if (spec instanceof GemSpec.Source s) {
      return source(n, s);
    } else if (spec instanceof GemSpec.Target t) {
      return target(n, t);
    } else if (spec instanceof GemSpec.Reformat r) {
      return ret(Chain.on(GemRules.in0(n)).call("select", columns(n, "expressions", r.columns())));
    } else if (spec instanceof GemSpec.Filter f) {
      return ret(Chain.on(GemRules.in0(n)).call("filter", column(n, "condition", f.condition())));
    } else if (spec instanceof GemSpec.Join j) {
      return join(n, j);
    } else if (spec instanceof GemSpec.Aggregate a) {
      return aggregate(n, a);
    } else if (spec instanceof GemSpec.OrderBy o) {
      return ret(Chain.on(GemRules.in0(n)).call("orderBy", orders(n, "orders", o.orders())));
    } else if (spec instanceof GemSpec.Limit l) {
      return ret(Chain.on(GemRules.in0(n)).call("limit", limit(n, l)));
    } else if (spec instanceof GemSpec.Deduplicate d) {
      return deduplicate(n, d);
    } else if (spec instanceof GemSpec.SetOperation s) {
      return setOperation(n, s);
    } else if (spec instanceof GemSpec.SchemaTransform s) {
      return schemaTransform(n, s);
    } else if (spec instanceof GemSpec.Repartition r) {
      return repartition(n, r);
    } else if (spec instanceof GemSpec.WindowFunction w) {
      return window(n, w);
    } else if (spec instanceof GemSpec.SqlStatement s) {
      return sqlStatement(n, s);
    } else if (spec instanceof GemSpec.Script s) {
      return script(n, s);
    }
    throw GemRules.unsupported(n);
  }

  private static String ret(Chain chain) {
    return chain.render(Chain.Style.PYTHON, I1, "return ");
  }

  private String source(CodeGraph.Node n, GemSpec.Source s) {
    DatasetIo io = DatasetIo.of(n.path(), s.datasetId(), datasets);
    StringBuilder sb = new StringBuilder();
    io.leftOutNote().ifPresent(note -> sb.append(I1).append("# ").append(note).append('\n'));
    Chain c = Chain.on("spark.read");
    String location = text(io.checkedLocation(n.path()));
    switch (io.kind()) {
      case CATALOG -> c.call("table", location);
      case FILES -> {
        c.call("format", CodeText.python(io.format()));
        io.schemaDdl().ifPresent(ddl -> c.call("schema", CodeText.python(ddl)));
        io.options().forEach((k, v) -> c.call("option", CodeText.python(k), text(v)));
        c.call("load", location);
      }
      case CONNECTOR -> {
        c.call("format", CodeText.python(io.format()));
        io.options().forEach((k, v) -> c.call("option", CodeText.python(k), text(v)));
        c.call("load");
      }
    }
    return sb.append(ret(c)).toString();
  }

  private String target(CodeGraph.Node n, GemSpec.Target t) {
    String in0 = GemRules.in0(n);
    DatasetIo io = DatasetIo.of(n.path(), t.datasetId(), datasets);
    StringBuilder sb = new StringBuilder();
    io.leftOutNote().ifPresent(note -> sb.append(I1).append("# ").append(note).append('\n'));
    Chain c = Chain.on(in0 + ".write");
    if (io.kind() != DatasetIo.Kind.CATALOG) {
      c.call("format", CodeText.python(io.format()));
    }
    c.call("mode", CodeText.python(io.checkedWriteMode(n.path())));
    io.options().forEach((k, v) -> c.call("option", CodeText.python(k), text(v)));
    if (!io.partitionColumns().isEmpty()) {
      c.call("partitionBy", io.partitionColumns().stream().map(CodeText::python).toList());
    }
    String location = text(io.checkedLocation(n.path()));
    switch (io.kind()) {
      case CATALOG -> c.call("saveAsTable", location);
      case FILES -> c.call("save", location);
      case CONNECTOR -> c.call("save");
    }
    return sb.append(c.render(Chain.Style.PYTHON, I1, "")).toString();
  }

  private String join(CodeGraph.Node n, GemSpec.Join j) {
    GemRules.atLeastTwoInputs(n);
    CodeGraph.Input first = n.inputs().get(0);
    Chain c = Chain.on(first.param() + ".alias(" + CodeText.python(first.slug()) + ")");
    for (CodeGraph.Input in : n.inputs().subList(1, n.inputs().size())) {
      int index = GemRules.conditionIndex(n, j, in.slug());
      GemSpec.JoinCondition cond = j.conditions().get(index);
      String other = in.param() + ".alias(" + CodeText.python(in.slug()) + ")";
      if (cond.type() == GemSpec.JoinType.CROSS) {
        c.call("crossJoin", other);
      } else {
        c.call("join", other, column(n, "conditions[" + index + "].expression", cond.on()),
            CodeText.python(cond.type().spelling()));
      }
    }
    j.where().ifPresent(w -> c.call("filter", column(n, "whereClause", w)));
    if (!j.columns().isEmpty()) {
      c.call("select", columns(n, "expressions", j.columns()));
    }
    return ret(c);
  }

  private String aggregate(CodeGraph.Node n, GemSpec.Aggregate a) {
    GemRules.checkAggregate(n, a);
    List<String> groups = columns(n, "groupBy", a.groupBy());
    List<String> aggs = columns(n, "aggregate", a.aggregates());
    Chain c = Chain.on(GemRules.in0(n));
    if (a.pivotColumn().isPresent()) {
      String pivot = GemRules.plainName(a.pivotColumn().get());
      if (pivot == null) {
        pivot = "__pivot";
        c.call("withColumn", CodeText.python(pivot), column(n, "pivotColumn", a.pivotColumn().get()));
      }
      List<String> pivotArgs = new ArrayList<>(List.of(CodeText.python(pivot)));
      if (!a.pivotValues().isEmpty()) {
        pivotArgs.add("[" + String.join(", ", a.pivotValues().stream().map(CodeText::python).toList()) + "]");
      }
      c.call("groupBy", groups).call("pivot", pivotArgs).call("agg", aggs);
    } else if (aggs.isEmpty()) {
      c.call("select", groups).call("distinct");
    } else if (groups.isEmpty()) {
      c.call("agg", aggs);
    } else {
      c.call("groupBy", groups).call("agg", aggs);
    }
    return ret(c);
  }

  private String limit(CodeGraph.Node n, GemSpec.Limit l) {
    Expression e = l.count();
    String t = GemRules.limitText(n, e);
    if (t.matches("[0-9]+") || e.format().equals("python")) {
      return t;
    }
    if (e.isSql() && config.referenced(t)) {
      return "int(substitute(" + CodeText.python(t) + "))";
    }
    throw GemRules.badLimit(n, t);
  }

  private String deduplicate(CodeGraph.Node n, GemSpec.Deduplicate d) {
    String in0 = GemRules.in0(n);
    if (d.type() == GemSpec.DedupType.DISTINCT) {
      return ret(Chain.on(in0).call("distinct"));
    }
    List<String> names = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < d.columns().size(); i++) {
      Expression k = Expression.sql(d.columns().get(i));
      keys.add(column(n, "dedupColumns[" + i + "]", k));
      names.add(GemRules.plainName(k));
    }
    boolean ordered = GemRules.ordered(d);
    if (!ordered && d.type() != GemSpec.DedupType.UNIQUE_ONLY && !names.contains(null)) {
      return ret(Chain.on(in0).call("dropDuplicates", names.isEmpty() ? List.of()
          : List.of("[" + String.join(", ", names.stream().map(CodeText::python).toList()) + "]")));
    }
    GemRules.checkDedupKeys(n, d);
    Chain w = Chain.on("Window").call("partitionBy", keys);
    String marker;
    String value;
    if (d.type() == GemSpec.DedupType.UNIQUE_ONLY) {
      marker = "__count";
      value = "count(lit(1)).over(window)";
    } else {
      w.call("orderBy", ordered ? orders(n, "orders", GemRules.dedupOrders(d)) : keys);
      marker = "__row_number";
      value = "row_number().over(window)";
    }
    return w.render(Chain.Style.PYTHON, I1, "window = ") + "\n" + ret(Chain.on(in0)
        .call("withColumn", CodeText.python(marker), value)
        .call("filter", "expr(" + CodeText.python(marker + " = 1") + ")")
        .call("drop", CodeText.python(marker)));
  }

  private String setOperation(CodeGraph.Node n, GemSpec.SetOperation s) {
    GemRules.atLeastTwoInputs(n);
    Chain c = Chain.on(n.inputs().get(0).param());
    for (CodeGraph.Input in : n.inputs().subList(1, n.inputs().size())) {
      switch (s.operation()) {
        case UNION_ALL -> c.call("unionAll", in.param());
        case UNION_BY_NAME -> c.call("unionByName", s.allowMissingColumns()
            ? List.of(in.param(), "allowMissingColumns=True") : List.of(in.param()));
        case INTERSECT_ALL -> c.call("intersectAll", in.param());
        case EXCEPT_ALL -> c.call("exceptAll", in.param());
      }
    }
    return ret(c);
  }

  private String schemaTransform(CodeGraph.Node n, GemSpec.SchemaTransform s) {
    Chain c = Chain.on(GemRules.in0(n));
    for (int i = 0; i < s.operations().size(); i++) {
      GemSpec.SchemaOp op = s.operations().get(i);
      String field = "transformations[" + i + "]";
      GemRules.checkSchemaOp(n, field, op);
      switch (op.kind()) {
        case ADD_REPLACE -> c.call("withColumn", CodeText.python(op.column()),
            column(n, field + ".expression", op.expression().orElse(Expression.sql(""))));
        case DROP -> c.call("drop", CodeText.python(op.column()));
        case RENAME -> c.call("withColumnRenamed", CodeText.python(op.column()),
            CodeText.python(GemRules.renameTarget(n, field, op)));
      }
    }
    return ret(c);
  }

  private String repartition(CodeGraph.Node n, GemSpec.Repartition r) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < r.keys().size(); i++) {
      keys.add(column(n, "expressions[" + i + "]", r.keys().get(i)));
    }
    return ret(Chain.on(GemRules.in0(n)).call(GemRules.repartitionMethod(r), GemRules.repartitionArgs(n, r, keys)));
  }

  private String window(CodeGraph.Node n, GemSpec.WindowFunction w) {
    String in0 = GemRules.in0(n);
    GemRules.checkWindow(n, w);
    boolean sqlFrame = GemRules.frameNeedsSql(w);
    Chain c = Chain.on(in0);
    boolean usesWindow = false;
    for (int i = 0; i < w.columns().size(); i++) {
      Column col = w.columns().get(i);
      String field = "expressionColumns[" + i + "]";
      String name = CodeText.python(GemRules.target(n, field, col));
      if (GemRules.hasOver(col.expression())) {
        c.call("withColumn", name, column(n, field + ".expression", col.expression()));
      } else if (sqlFrame) {
        c.call("withColumn", name, column(n, field + ".expression", GemRules.withOver(n, w, col)));
      } else {
        usesWindow = true;
        String e = column(n, field + ".expression", col.expression());
        c.call("withColumn", name, method(col.expression(), e) + ".over(window)");
      }
    }
    return (usesWindow ? windowSpec(n, w).render(Chain.Style.PYTHON, I1, "window = ") + "\n" : "") + ret(c);
  }

  /** The window as {@code Window.partitionBy(...).orderBy(...).rowsBetween(...)}. */
  private Chain windowSpec(CodeGraph.Node n, GemSpec.WindowFunction w) {
    List<String> partition = new ArrayList<>();
    for (int i = 0; i < w.partitionBy().size(); i++) {
      partition.add(column(n, "partitionColumns[" + i + "]", w.partitionBy().get(i)));
    }
    Chain spec = Chain.on("Window");
    if (!partition.isEmpty() || w.orderBy().isEmpty()) {
      spec.call("partitionBy", partition);
    }
    if (!w.orderBy().isEmpty()) {
      spec.call("orderBy", orders(n, "orderColumns", w.orderBy()));
    }
    w.frame().filter(f -> !f.isBlank()).flatMap(WindowFrame::parse)
        .ifPresent(f -> spec.call(f.method(), f.start(), f.end()));
    return spec;
  }

  private String sqlStatement(CodeGraph.Node n, GemSpec.SqlStatement s) {
    String sql = GemRules.statement(n, s);
    StringBuilder sb = new StringBuilder();
    for (CodeGraph.Input in : n.inputs()) {
      sb.append(I1).append(in.param()).append(".createOrReplaceTempView(").append(CodeText.python(in.slug()))
          .append(")\n");
    }
    return sb.append(I1).append("return spark.sql(").append(text(sql)).append(")").toString();
  }

  private String script(CodeGraph.Node n, GemSpec.Script s) {
    String code = CodeText.indent(GemRules.script(n, s, "python", "PySpark"), I1);
    List<String> outs = GemRules.scriptOutputs(n);
    return code + (outs.isEmpty() ? "" : "\n\n" + I1 + "return " + String.join(", ", outs));
  }

  // ---------------------------------------------------------------- expressions

  private List<String> columns(CodeGraph.Node n, String field, List<Column> cols) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      Column c = cols.get(i);
      String f = field + "[" + i + "]";
      String code = column(n, f + ".expression", c.expression());
      out.add(method(c.expression(), code) + ".alias(" + CodeText.python(GemRules.target(n, f, c)) + ")");
    }
    return out;
  }

  private List<String> orders(CodeGraph.Node n, String field, List<Order> orders) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < orders.size(); i++) {
      Order o = orders.get(i);
      String code = column(n, field + "[" + i + "].expression", o.expression());
      out.add(method(o.expression(), code) + "." + o.sort().spelling() + "()");
    }
    return out;
  }

  /** Column code ready for a method call: Python code in parentheses where it needs them. */
  private static String method(Expression e, String code) {
    return !e.isSql() && CodeText.needsParentheses(code) ? "(" + code + ")" : code;
  }

  /** A Column: {@code expr("...")} for SQL, the code itself for Python. */
  private String column(CodeGraph.Node n, String field, Expression e) {
    if (e.isBlank()) {
      throw GemRules.error(n, field, "the expression is empty");
    }
    if (e.isSql()) {
      return "expr(" + text(e.text().trim()) + ")";
    }
    if (e.format().equals("python")) {
      return e.text().trim();
    }
    throw GemRules.otherLanguage(n, field, e, "PySpark");
  }

  /** A string literal; SQL text that names configuration fields is resolved when the pipeline runs. */
  private String text(String sql) {
    return config.referenced(sql) ? "substitute(" + CodeText.python(sql) + ")" : CodeText.python(sql);
  }

  private static Set<String> reserved(String... names) {
    Set<String> out = new HashSet<>(CodeText.PYTHON_KEYWORDS);
    out.addAll(List.of(names));
    return Set.copyOf(out);
  }
}
