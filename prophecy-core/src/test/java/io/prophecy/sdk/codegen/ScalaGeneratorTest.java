package io.prophecy.sdk.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import com.fasterxml.jackson.module.scala.DefaultScalaModule$;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;
import scala.tools.nsc.Global;
import scala.tools.nsc.Settings;
import scala.tools.nsc.reporters.StoreReporter;

/**
 * Generated Scala: compiled in-process by scalac 2.13 against Spark 3.5.9, then run on an embedded local
 * Spark over CSV files the test writes, with Prophecy's job arguments ({@code -i prod -O {...}}).
 */
class ScalaGeneratorTest {
  private static final String PACKAGE = "io.prophecy.pipelines.all_gems";

  @TempDir
  static Path dir;

  private static SortedMap<String, String> files;
  private static SortedMap<String, String> multi;
  private static List<String> compileErrors;
  private static List<String> compileWarnings;
  private static URLClassLoader loader;
  private static ClassLoader previousLoader;
  private static SparkSession spark;

  @BeforeAll
  static void compileAndStartSpark() throws Exception {
    Files.writeString(dir.resolve("orders.csv"), """
        order_id,customer_id,amount,status
        10,1,100.0,PAID
        11,1,50.0,PAID
        12,2,70.0,OPEN
        13,2,30.0,PAID
        14,3,20.0,PAID
        15,3,5.0,PAID
        """);
    Files.writeString(dir.resolve("customers.csv"), """
        id,name,country
        1,Ann,DE
        2,Bob,FR
        3,Cid,DE
        """);
    files = ScalaGenerator.generate(CodegenFixtures.allGems("scala"), CodegenFixtures.datasets(dir), "all_gems");
    Path code = PySparkGeneratorTest.write(files, dir.resolve("code"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> sources = new ArrayList<>();
    files.keySet().stream().filter(p -> p.endsWith(".scala")).forEach(p -> sources.add(code.resolve(p).toString()));
    // a second project, compiled beside the first: a two-output Script, labels that are not identifiers
    multi = ScalaGenerator.generate(CodegenFixtures.multiOutputWorkflow("scala"), CodegenFixtures.datasets(dir),
        "com.example.multi");
    Path multiCode = PySparkGeneratorTest.write(multi, dir.resolve("multi"));
    multi.keySet().stream().filter(p -> p.endsWith(".scala")).forEach(p -> sources.add(multiCode.resolve(p).toString()));
    compile(sources, classes);

    previousLoader = Thread.currentThread().getContextClassLoader();
    loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), code.resolve("src/main/resources").toUri().toURL()},
        ScalaGeneratorTest.class.getClassLoader());
    // Spark's executors take the context class loader at start: they then see the generated classes too
    Thread.currentThread().setContextClassLoader(loader);
    spark = SparkSession.builder().master("local[2]").appName("codegen-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void stop() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    Thread.currentThread().setContextClassLoader(previousLoader);
    if (loader != null) {
      loader.close();
    }
  }

  private static void compile(List<String> sources, Path out) {
    Settings settings = new Settings();
    settings.processArguments(CollectionConverters.asScala(List.of("-classpath", testClassPath(), "-d", out.toString(),
        "-deprecation", "-feature", "-encoding", "UTF-8")).toList(), true);
    StoreReporter reporter = new StoreReporter(settings);
    Global global = new Global(settings, reporter);
    Global.Run run = global.new Run();
    run.compile(CollectionConverters.asScala(sources).toList());
    compileErrors = new ArrayList<>();
    compileWarnings = new ArrayList<>();
    CollectionConverters.asJava(reporter.infos()).forEach(i -> {
      String text = i.pos() + ": " + i.msg();
      if (i.severity().toString().equals("ERROR")) {
        compileErrors.add(text);
      } else if (i.severity().toString().equals("WARNING")) {
        compileWarnings.add(text);
      }
    });
    if (reporter.hasErrors() && compileErrors.isEmpty()) {
      compileErrors.add("scalac reported errors");
    }
  }

  /** The test class path, expanding Surefire's manifest-only jar when it is used. */
  private static String testClassPath() {
    Set<String> entries = new LinkedHashSet<>();
    String surefire = System.getProperty("surefire.test.class.path");
    String cp = surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    for (String e : cp.split(File.pathSeparator)) {
      entries.add(e);
      if (e.endsWith(".jar") && e.contains("surefirebooter")) {
        try (JarFile jar = new JarFile(e)) {
          Manifest m = jar.getManifest();
          String more = m == null ? null : m.getMainAttributes().getValue("Class-Path");
          if (more != null) {
            for (String u : more.trim().split("\\s+")) {
              entries.add(Path.of(new URL(new File(e).toURI().toURL(), u).toURI()).toString());
            }
          }
        } catch (Exception ex) {
          throw new IllegalStateException("cannot read the class path of " + e, ex);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  @Test
  void generatedScalaCompilesWithScalac() {
    assertThat(compileErrors).as("scalac errors; warnings: %s", compileWarnings).isEmpty();
    assertThat(compileWarnings).as("scalac warnings").isEmpty();
  }

  @Test
  void aWorkflowWithATwoOutputScriptAndOddLabelsCompiles() {
    assertThat(compileErrors).isEmpty();
    String src = "src/main/scala/com/example/multi/";
    assertThat(multi.get(src + "main.scala")).contains("package com.example.multi\n",
        "    val (df_Split_out0, df_Split_out1) = Split(context, df_Orders)\n",
        // "from" is a keyword in Python, not in Scala
        "    val df_from = from(context, df_Split_out1)\n",
        "    val df_Sum_by_country = Sum_by_country(context, df_from)\n");
    assertThat(multi.get(src + "graph/Split.scala"))
        .contains("def apply(context: Context, in0: DataFrame): (DataFrame, DataFrame) = {", "    (out0, out1)\n");
    assertThat(multi.get("pom.xml")).contains("<groupId>com.example</groupId>", "<artifactId>multi</artifactId>");
  }

  @Test
  void sparksJacksonScalaModuleWorksWithTheJacksonTheProjectPins() throws Exception {
    // jackson-module-scala refuses a jackson-databind of another minor version when it is registered
    Version scala = DefaultScalaModule$.MODULE$.version();
    assertThat(scala.getMajorVersion()).isEqualTo(PackageVersion.VERSION.getMajorVersion());
    assertThat(scala.getMinorVersion()).isEqualTo(PackageVersion.VERSION.getMinorVersion());
    ObjectMapper mapper = new ObjectMapper().registerModule(DefaultScalaModule$.MODULE$);
    assertThat(mapper.writeValueAsString(CollectionConverters.asScala(List.of(1, 2)).toList())).isEqualTo("[1,2]");
  }

  @Test
  void layoutIsAMavenProjectWithAnObjectPerGem() {
    PipelineGraph graph = CodegenFixtures.allGems("scala");
    String src = "src/main/scala/io/prophecy/pipelines/all_gems/";
    assertThat(files).containsKeys("pom.xml", src + "main.scala", src + "config/Config.scala",
        src + "config/ConfigStore.scala", src + "config/Context.scala",
        "src/main/resources/io/prophecy/pipelines/all_gems/config/default.json",
        "src/main/resources/io/prophecy/pipelines/all_gems/config/prod.json");
    assertThat(files.get("pom.xml")).contains("<spark.version>3.5.9</spark.version>",
        "<scala.version>2.13.8</scala.version>", "<artifactId>spark-sql_${scala.binary.version}</artifactId>",
        "<mainClass>io.prophecy.pipelines.all_gems.Main</mainClass>");
    String main = files.get(src + "main.scala");
    int last = -1;
    for (Gem gem : graph.topologicalOrder()) {
      String name = gem.name();
      if (gem.spec() instanceof GemSpec.Subgraph) {
        assertThat(files.get(src + "graph/" + name + "/package.scala")).contains("package object " + name + " {");
        for (Gem inner : gem.subgraph().orElseThrow().gems()) {
          assertThat(files.get(src + "graph/" + name + "/" + inner.name() + ".scala"))
              .contains("package " + PACKAGE + ".graph." + name + "\n",
                  "def apply(context: Context, in0: DataFrame): DataFrame = {");
        }
      } else {
        assertThat(files.get(src + "graph/" + name + ".scala")).as(name)
            .contains("object " + name + " {", "def apply(context: Context");
      }
      int at = main.indexOf(" " + name + (gem.spec() instanceof GemSpec.Subgraph ? ".apply" : "") + "(context");
      assertThat(at).as("call of %s in main.scala", name).isGreaterThan(last);
      last = at;
    }
    assertThat(main).contains("    val df_Paid = Paid(context, df_Orders)\n", "    Revenue(context, df_Sorted)\n",
        "    val df_Top_Ranked = Top_Ranked.apply(context, df_Tagged)\n", "ConfigStore.fromArgs(args)");
  }

  @Test
  void compiledPipelineRunsOnSparkWithProphecysJobArguments() throws Exception {
    assertThat(compileErrors).as("the generated code must compile first").isEmpty();
    Method main = loader.loadClass(PACKAGE + ".Main").getMethod("main", String[].class);
    main.invoke(null, (Object) new String[] {"-i", "prod", "-O", "{\"label\": \"nightly\"}"});

    // Paid orders of at least 25 (instance prod): 10 (customer 1, DE), 11 (1, DE), 13 (2, FR)
    assertThat(rows("revenue")).containsExactly("DE,150.0,2,nightly", "FR,30.0,1,nightly");
    // per customer the first paid order by amount, and customers with one paid order, joined with their rank
    // and running total; the subgraph keeps rank 1
    assertThat(rows("detail")).containsExactly("10,1,100.0,script", "13,2,30.0,script");
    // every order (not only paid ones) pivoted by status
    assertThat(rows("pivoted")).containsExactly("1,150.0,", "2,30.0,70.0", "3,25.0,");
    // the largest amount of the union by name (rows from Cleaned have no amount and sort last)
    assertThat(rows("top")).containsExactly("10,1,100.0,PAID,,,,");
    assertThat(header("top")).containsExactly("order_id", "customer_id", "amount", "status", "value", "rn",
        "running", "big");
  }

  @Test
  void configurationComesFromInstancesOverridesAndPairs() throws Exception {
    Class<?> store = loader.loadClass(PACKAGE + ".config.ConfigStore");
    Class<?> config = loader.loadClass(PACKAGE + ".config.Config");
    Method fromArgs = store.getMethod("fromArgs", String[].class);
    Method substitute = store.getMethod("substitute", config, String.class);
    String sql = "amount >= ${min_amount} AND label = '$label' AND n = Config.top_n AND x = expr('$label')";

    Object defaults = fromArgs.invoke(null, (Object) new String[0]);
    assertThat(substitute.invoke(null, defaults, sql))
        .isEqualTo("amount >= 10.0 AND label = 'all' AND n = 1 AND x = all");
    Object prod = fromArgs.invoke(null, (Object) new String[] {"-i", "prod", "-O", "{\"label\": \"it's\"}",
        "-C", "top_n=4"});
    assertThat(substitute.invoke(null, prod, sql))
        .isEqualTo("amount >= 25.0 AND label = 'it\\'s' AND n = 4 AND x = it's");

    assertThatThrownBy(() -> invoke(fromArgs, (Object) new String[] {"-i", "staging"}))
        .hasMessageContaining("configuration instance 'staging' does not exist; instances: default, prod");
    assertThatThrownBy(() -> invoke(fromArgs, (Object) new String[] {"-O", "{\"nope\": 1}"}))
        .hasMessageContaining("configuration field 'nope' does not exist; fields: min_amount, label, top_n");
  }

  private static Object invoke(Method m, Object arg) throws Throwable {
    try {
      return m.invoke(null, arg);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The rows of an output, each as comma-separated text (nulls empty), sorted. */
  private static List<String> rows(String output) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.read().option("header", "true").csv(dir.resolve("out").resolve(output).toString())
        .collectAsList()) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        cells.add(r.isNullAt(i) ? "" : r.get(i).toString());
      }
      out.add(String.join(",", cells));
    }
    return out.stream().sorted().toList();
  }

  private static List<String> header(String output) {
    return Stream.of(spark.read().option("header", "true").csv(dir.resolve("out").resolve(output).toString())
        .columns()).toList();
  }
}
