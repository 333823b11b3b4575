package io.prophecy.sdk.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.pipeline.DatasetLookup;
import io.prophecy.sdk.pipeline.Expression;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated PySpark: every module compiles with Debian's python3, the layout is Prophecy's, the
 * configuration code runs (it needs no PySpark), and string literals read back as the SQL they hold.
 */
class PySparkGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void everyGeneratedModuleCompiles() throws Exception {
    SortedMap<String, String> files = PySparkGenerator.generate(CodegenFixtures.allGems("python"),
        CodegenFixtures.datasets(dir), "all_gems");
    Path code = write(files, dir.resolve("code"));
    List<String> modules = files.keySet().stream().filter(p -> p.endsWith(".py")).toList();
    assertThat(modules).hasSizeGreaterThan(30);

    List<String> command = new ArrayList<>(List.of("python3", "-m", "py_compile"));
    modules.forEach(m -> command.add(code.resolve(m).toString()));
    Result r = run(command, code, Map.of());
    assertThat(r.exit).as("py_compile output:\n%s", r.output).isZero();

    // the check itself catches broken code
    Path broken = code.resolve("broken.py");
    Files.writeString(broken, "def f(:\n    return 1\n");
    assertThat(run(List.of("python3", "-m", "py_compile", broken.toString()), code, Map.of()).exit).isNotZero();
  }

  @Test
  void layoutIsProphecysWithAModulePerGemCalledInTopologicalOrder() {
    PipelineGraph graph = CodegenFixtures.allGems("python");
    SortedMap<String, String> files = PySparkGenerator.generate(graph, CodegenFixtures.datasets(dir), "all_gems");

    assertThat(files).containsKeys("setup.py", "main.py", "all_gems/__init__.py", "all_gems/pipeline.py",
        "all_gems/config/__init__.py", "all_gems/config/Config.py", "all_gems/config/ConfigStore.py",
        "all_gems/graph/__init__.py", "configs/resources/config/default.json", "configs/resources/config/prod.json");
    assertThat(files.get("main.py")).isEqualTo("from all_gems.pipeline import main\n\nmain()\n");
    assertThat(files.get("setup.py")).contains("\"main = all_gems.pipeline:main\"")
        .contains("\"prophecy_config_instances\": \"configs/resources/config\"");

    String pipeline = files.get("all_gems/pipeline.py");
    String init = files.get("all_gems/graph/__init__.py");
    int last = -1;
    for (Gem gem : graph.topologicalOrder()) {
      String name = gem.name();
      if (gem.spec() instanceof GemSpec.Subgraph) {
        assertThat(files).containsKeys("all_gems/graph/" + name + "/__init__.py",
            "all_gems/graph/" + name + "/" + name + ".py");
        for (Gem inner : gem.subgraph().orElseThrow().gems()) {
          assertThat(files.get("all_gems/graph/" + name + "/" + inner.name() + ".py"))
              .contains("def " + inner.name() + "(spark: SparkSession, in0: DataFrame) -> DataFrame:");
        }
      } else {
        assertThat(files.get("all_gems/graph/" + name + ".py")).as(name).contains("def " + name + "(spark: SparkSession");
      }
      assertThat(init).contains("from ." + name + " import " + name + "\n");
      int at = pipeline.indexOf(" " + name + "(spark");
      assertThat(at).as("call of %s in pipeline.py", name).isGreaterThan(last);
      last = at;
    }
    assertThat(pipeline).contains("    df_Paid = Paid(spark, df_Orders)\n")
        .contains("    df_With_Customer = With_Customer(spark, df_Paid, df_Customers)\n")
        .contains("    Revenue(spark, df_Sorted)\n")
        .contains("Utils.initializeFromArgs(args)");
    assertThat(files.get("all_gems/graph/Top_Ranked/Top_Ranked.py"))
        .contains("def Top_Ranked(spark: SparkSession, in0: DataFrame) -> DataFrame:\n"
            + "    df_First_Only = First_Only(spark, in0)\n"
            + "    df_Slim = Slim(spark, df_First_Only)\n"
            + "    return df_Slim\n");
  }

  @Test
  void gemCodeUsesTheDataFrameApi() {
    SortedMap<String, String> f = PySparkGenerator.generate(CodegenFixtures.allGems("python"),
        CodegenFixtures.datasets(dir), "shop.all_gems");
    String g = "shop/all_gems/graph/";
    assertThat(f).containsKeys("shop/__init__.py", "shop/all_gems/__init__.py");
    assertThat(f.get(g + "Orders.py")).contains("spark.read", ".format(\"csv\")",
        ".schema(\"`order_id` int, `customer_id` int, `amount` double, `status` string\")",
        ".option(\"header\", \"true\")", ".option(\"sep\", \",\")", ".load(");
    assertThat(f.get(g + "Revenue.py")).contains("in0.write", ".mode(\"overwrite\")", ".save(");
    assertThat(f.get(g + "Paid.py"))
        .contains("return in0.filter(expr(substitute(\"status = 'PAID' AND amount >= ${min_amount}\")))");
    assertThat(f.get(g + "With_Customer.py")).contains("in0.alias(\"in0\")",
        ".join(in1.alias(\"in1\"), expr(\"in0.customer_id = in1.id\"), \"inner\")", "expr(\"in0.order_id\").alias(\"order_id\")");
    assertThat(f.get(g + "By_Country.py")).contains(".groupBy(expr(\"country\").alias(\"country\"))",
        "expr(\"sum(amount)\").alias(\"revenue\")");
    assertThat(f.get(g + "By_Status.py")).contains(".pivot(\"status\", [\"PAID\", \"OPEN\"])");
    assertThat(f.get(g + "Ranked.py")).contains("window = Window.partitionBy(expr(\"customer_id\"))"
        + ".orderBy(expr(\"amount\").desc())", ".withColumn(\"rn\", expr(\"row_number()\").over(window))");
    assertThat(f.get(g + "Running.py")).contains(".rowsBetween(Window.unboundedPreceding, Window.currentRow)");
    assertThat(f.get(g + "Cleaned.py")).contains(".withColumn(\"big\", expr(\"amount > 60\"))", ".drop(\"status\")",
        ".withColumnRenamed(\"amount\", \"value\")");
    assertThat(f.get(g + "Firsts.py")).contains("row_number().over(window)", "expr(\"__row_number = 1\")");
    assertThat(f.get(g + "Uniques.py")).contains("count(lit(1)).over(window)");
    assertThat(f.get(g + "Distinct.py")).contains("return in0.distinct()");
    assertThat(f.get(g + "Any_Per_Customer.py")).contains("return in0.dropDuplicates([\"customer_id\"])");
    assertThat(f.get(g + "Both.py")).contains("return in0.unionAll(in1)");
    assertThat(f.get(g + "Widened.py")).contains("return in0.unionByName(in1, allowMissingColumns=True)");
    assertThat(f.get(g + "Spread.py")).contains("return in0.repartition(2, expr(\"customer_id\"))");
    assertThat(f.get(g + "One_File.py")).contains("return in0.coalesce(1)");
    assertThat(f.get(g + "Top_N.py")).contains("return in0.limit(int(substitute(\"${top_n}\")))");
    assertThat(f.get(g + "Ranks.py")).contains("    in0.createOrReplaceTempView(\"in0\")\n",
        "    in1.createOrReplaceTempView(\"in1\")\n",
        "return spark.sql(\"\"\"SELECT in0.order_id, in0.customer_id, in1.rn, in1.running\n"
            + "FROM in0 JOIN in1 ON in0.order_id = in1.order_id\"\"\")");
    assertThat(f.get(g + "Tagged.py")).contains("def Tagged(spark: SparkSession, in0: DataFrame) -> DataFrame:\n"
        + "    out = in0.withColumn(\"source\", lit(\"script\"))\n\n    return out\n");
    assertThat(f.get(g + "Labelled.py")).contains("expr(substitute(\"'$label'\")).alias(\"label\")");
  }

  @Test
  void stringLiteralsReadBackAsTheSqlTheyHold() throws Exception {
    List<String> tricky = List.of("name = 'O''Brien' AND note = \"quoted\"",
        "path LIKE 'C:\\\\temp\\\\%' OR tab = '\t'",
        "CASE\n  WHEN a = '\"\"\"' THEN 1\n  ELSE 2\nEND",
        "city = 'Zürich' AND emoji = '😀' AND sep = '\u2028'",
        "regexp_like(s, '^\\\\d+$')\n-- two lines\\");
    PipelineGraph graph = PipelineGraph.of("tricky", p -> {
      p.source("Orders", "orders");
      for (int i = 0; i < tricky.size(); i++) {
        p.filter("F" + i, i == 0 ? "Orders" : "F" + (i - 1), tricky.get(i));
      }
    });
    SortedMap<String, String> files = PySparkGenerator.generate(graph, CodegenFixtures.datasets(dir), "tricky");
    Path code = write(files, dir.resolve("tricky"));
    for (int i = 0; i < tricky.size(); i++) {
      Path module = code.resolve("tricky/graph/F" + i + ".py");
      String script = "import ast, json, sys\n"
          + "tree = ast.parse(open(sys.argv[1], encoding='utf-8').read())\n"
          + "print(json.dumps([n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call)"
          + " and getattr(n.func, 'id', '') == 'expr']))\n";
      Result r = run(List.of("python3", "-c", script, module.toString()), code, Map.of());
      assertThat(r.exit).as(r.output).isZero();
      JsonNode values = JSON.readTree(r.output);
      assertThat(values).hasSize(1);
      assertThat(values.get(0).asText()).isEqualTo(tricky.get(i));
    }
  }

  @Test
  void configurationCodeRunsWithInstancesAndOverrides() throws Exception {
    PipelineGraph graph = CodegenFixtures.allGems("python");
    Path code = write(PySparkGenerator.generate(graph, CodegenFixtures.datasets(dir), "all_gems"), dir.resolve("cfg"));
    String script = "import json, sys\n"
        + "from all_gems.config.ConfigStore import *\n"
        + "Utils.initializeFromArgs(parse_args(sys.argv[1:]))\n"
        + "print(json.dumps({'min_amount': Config.min_amount, 'label': Config.label, 'top_n': Config.top_n,\n"
        + "    'sql': substitute(\"amount >= ${min_amount} AND label = '$label' AND n = Config.top_n\")}))\n";
    Result defaults = run(List.of("python3", "-c", script), code, Map.of("PYTHONPATH", code.toString()));
    assertThat(defaults.exit).as(defaults.output).isZero();
    JsonNode d = JSON.readTree(defaults.output);
    assertThat(d.get("min_amount").asDouble()).isEqualTo(10.0);
    assertThat(d.get("label").asText()).isEqualTo("all");
    assertThat(d.get("sql").asText()).isEqualTo("amount >= 10.0 AND label = 'all' AND n = 1");

    Result prod = run(List.of("python3", "-c", script, "-i", "prod", "-O", "{\"label\": \"it's nightly\"}",
        "-C", "top_n=3"), code, Map.of("PYTHONPATH", code.toString()));
    assertThat(prod.exit).as(prod.output).isZero();
    JsonNode p = JSON.readTree(prod.output);
    assertThat(p.get("min_amount").asDouble()).isEqualTo(25.0);
    assertThat(p.get("top_n").asInt()).isEqualTo(3);
    assertThat(p.get("sql").asText()).isEqualTo("amount >= 25.0 AND label = 'it\\'s nightly' AND n = 3");

    Result missing = run(List.of("python3", "-c", script, "-i", "staging"), code, Map.of("PYTHONPATH", code.toString()));
    assertThat(missing.exit).isNotZero();
    assertThat(missing.output).contains("configuration instance 'staging' does not exist");
    Result unknown = run(List.of("python3", "-c", script, "-O", "{\"nope\": 1}"), code,
        Map.of("PYTHONPATH", code.toString()));
    assertThat(unknown.output).contains("configuration field 'nope' does not exist");
  }

  @Test
  void aWorkflowWithATwoOutputScriptAndOddLabelsCompiles() throws Exception {
    SortedMap<String, String> files = PySparkGenerator.generate(CodegenFixtures.multiOutputWorkflow("python"),
        CodegenFixtures.datasets(dir), "multi");
    assertThat(files.get("multi/pipeline.py"))
        .contains("    df_Split_out0, df_Split_out1 = Split(spark, df_Orders)\n")
        .contains("    df_from_1 = from_1(spark, df_Split_out1)\n")
        .contains("    df_Sum_by_country = Sum_by_country(spark, df_from_1)\n")
        .contains("    Big(spark, df_Split_out0)\n");
    assertThat(files.get("multi/graph/Split.py"))
        .contains("def Split(spark: SparkSession, in0: DataFrame) -> (DataFrame, DataFrame):\n"
            + "    out0 = in0.filter(\"amount > 50\")\n    out1 = in0.filter(\"amount <= 50\")\n\n    return out0, out1\n");
    Path code = write(files, dir.resolve("multi"));
    List<String> command = new ArrayList<>(List.of("python3", "-m", "py_compile"));
    files.keySet().stream().filter(p -> p.endsWith(".py")).forEach(m -> command.add(code.resolve(m).toString()));
    Result r = run(command, code, Map.of());
    assertThat(r.exit).as(r.output).isZero();
  }

  @Test
  void pythonExpressionsGoInAsCodeAndScalaOnesAreRefused() {
    PipelineGraph graph = PipelineGraph.of("mixed", p -> p
        .source("Orders", "orders")
        .gem("Py", new GemSpec.Reformat(List.of(
            new GemSpec.Column("doubled", new Expression("python", "col(\"amount\") * 2")),
            new GemSpec.Column("upper", new Expression("python", "upper(col(\"status\"))")))), "Orders"));
    String py = PySparkGenerator.generate(graph, CodegenFixtures.datasets(dir), "mixed").get("mixed/graph/Py.py");
    assertThat(py).contains("(col(\"amount\") * 2).alias(\"doubled\")", "upper(col(\"status\")).alias(\"upper\")");

    PipelineGraph scala = PipelineGraph.of("mixed", p -> p
        .source("Orders", "orders")
        .gem("Sc", new GemSpec.Filter(new Expression("scala", "col(\"amount\") > 1")), "Orders"));
    assertThatThrownBy(() -> PySparkGenerator.generate(scala, CodegenFixtures.datasets(dir), "mixed"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("gem 'Sc' condition").hasMessageContaining("scala expression");
  }

  @Test
  void aGemTypeItCannotGenerateIsAnErrorNamingGemAndType() {
    ObjectNode props = JSON.createObjectNode().put("columns", "x");
    PipelineGraph graph = PipelineGraph.of("other", p -> p
        .source("Orders", "orders")
        .gem("Flatten_Items", new GemSpec.Other("FlattenSchema", props), "Orders"));
    assertThatThrownBy(() -> PySparkGenerator.generate(graph, CodegenFixtures.datasets(dir), "other"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("gem 'Flatten_Items'").hasMessageContaining("'FlattenSchema'");
    assertThatThrownBy(() -> ScalaGenerator.generate(graph, CodegenFixtures.datasets(dir), "other"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("gem 'Flatten_Items'").hasMessageContaining("'FlattenSchema'");
  }

  @Test
  void missingDatasetsAndBadPackageNamesAreErrors() {
    PipelineGraph graph = PipelineGraph.of("p", p -> p.source("Orders", "nowhere"));
    assertThatThrownBy(() -> PySparkGenerator.generate(graph, CodegenFixtures.datasets(dir), "p"))
        .hasMessageContaining("gem 'Orders'").hasMessageContaining("datasets/nowhere");
    assertThatThrownBy(() -> PySparkGenerator.generate(graph, DatasetLookup.NONE, "class"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("packageName");
    // configuration fields that the generated Config classes cannot hold
    PipelineGraph update = PipelineGraph.of("p", p -> p.config("update", "string", "x").source("Orders", "orders"));
    assertThatThrownBy(() -> PySparkGenerator.generate(update, CodegenFixtures.datasets(dir), "p"))
        .hasMessageContaining("configuration field 'update'");
    PipelineGraph values = PipelineGraph.of("p", p -> p.config("values", "string", "x").source("Orders", "orders"));
    assertThatThrownBy(() -> ScalaGenerator.generate(values, CodegenFixtures.datasets(dir), "p"))
        .hasMessageContaining("configuration field 'values'");
    PipelineGraph notANumber = PipelineGraph.of("p", p -> p.config("n", "int", "ten").source("Orders", "orders"));
    assertThatThrownBy(() -> ScalaGenerator.generate(notANumber, CodegenFixtures.datasets(dir), "p"))
        .hasMessageContaining("configuration field 'n'").hasMessageContaining("'ten' is not a whole number");
  }

  static Path write(SortedMap<String, String> files, Path root) throws IOException {
    for (var e : files.entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
    return root;
  }

  record Result(int exit, String output) {}

  static Result run(List<String> command, Path workDir, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), out);
  }
}
