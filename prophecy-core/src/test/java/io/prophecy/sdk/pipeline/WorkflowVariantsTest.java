package io.prophecy.sdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prophecy.sdk.pipeline.GemSpec.DedupType;
import io.prophecy.sdk.pipeline.GemSpec.JoinType;
import io.prophecy.sdk.pipeline.GemSpec.RepartitionType;
import io.prophecy.sdk.pipeline.GemSpec.SchemaOp;
import io.prophecy.sdk.pipeline.GemSpec.SetOp;
import io.prophecy.sdk.pipeline.GemSpec.SortType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The variants real workflow files hold read into the typed model; problems become diagnostics, never exceptions. */
class WorkflowVariantsTest {
  private final PipelineGraph all = Fixtures.read("python_shop", "all_gems");

  @Test
  void everyGemTypeReadsIntoItsSpec() {
    assertThat(all.gem("Orders").spec()).isEqualTo(new GemSpec.Source("datasets/orders"));
    assertThat(all.gem("Report").spec()).isEqualTo(new GemSpec.Target("datasets/order_report"));
    var cleaned = (GemSpec.Reformat) all.gem("Cleaned").spec();
    assertThat(cleaned.columns()).extracting(GemSpec.Column::target).containsExactly("order_id", "customer_id", "amount", "region");
    assertThat(cleaned.columns().get(3).expression()).isEqualTo(Expression.sql("'$region'"));
    assertThat(all.gem("BigOrders").spec()).isEqualTo(new GemSpec.Filter(Expression.sql("amount > ${min_amount}")));

    var join = (GemSpec.Join) all.gem("WithCustomer").spec();
    assertThat(join.conditions()).extracting(GemSpec.JoinCondition::alias, GemSpec.JoinCondition::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("in1", JoinType.LEFT_OUTER),
            org.assertj.core.groups.Tuple.tuple("in2", JoinType.LEFT_OUTER));
    assertThat(all.gem("WithCustomer").inputs()).extracting(Port::slug).containsExactly("in0", "in1", "in2");
    assertThat(join.where()).isEmpty();

    var agg = (GemSpec.Aggregate) all.gem("ByCountry").spec();
    assertThat(agg.groupBy()).containsExactly(GemSpec.Column.of("country", "country"));
    assertThat(agg.aggregates()).extracting(GemSpec.Column::target).containsExactly("revenue", "orders");
    assertThat(agg.pivotColumn()).isEmpty();
    assertThat(all.gem("Sorted").spec()).isEqualTo(new GemSpec.OrderBy(List.of(
        new GemSpec.Order(Expression.sql("revenue"), SortType.DESC), new GemSpec.Order(Expression.sql("country"), SortType.ASC))));
    assertThat(all.gem("Top10").spec()).isEqualTo(new GemSpec.Limit(Expression.sql("10")));
    assertThat(all.gem("FirstOrder").spec()).isEqualTo(new GemSpec.Deduplicate(DedupType.FIRST, List.of("customer_id"),
        List.of(new GemSpec.Order(Expression.sql("order_id"), SortType.ASC))));
    assertThat(all.gem("AllRows").spec()).isEqualTo(new GemSpec.SetOperation(SetOp.UNION_BY_NAME, true));
    assertThat(((GemSpec.SchemaTransform) all.gem("Shaped").spec()).operations()).containsExactly(
        new SchemaOp(SchemaOp.Kind.ADD_REPLACE, "amount_eur", Optional.of(Expression.sql("amount * 0.92")), Optional.empty()),
        new SchemaOp(SchemaOp.Kind.DROP, "amount", Optional.empty(), Optional.empty()),
        new SchemaOp(SchemaOp.Kind.RENAME, "amount_eur", Optional.empty(), Optional.of("amount")));
    assertThat(all.gem("Spread").spec()).isEqualTo(new GemSpec.Repartition(RepartitionType.HASH, Optional.of(8),
        List.of(Expression.sql("customer_id"))));
    var window = (GemSpec.WindowFunction) all.gem("Ranked").spec();
    assertThat(window.partitionBy()).containsExactly(Expression.sql("customer_id"));
    assertThat(window.orderBy()).containsExactly(new GemSpec.Order(Expression.sql("amount"), SortType.DESC));
    assertThat(window.columns()).containsExactly(GemSpec.Column.of("rank_in_customer", "row_number()"));
    assertThat(((GemSpec.SqlStatement) all.gem("Summary").spec()).sql()).startsWith("SELECT customer_id").contains("FROM in0");
    assertThat(all.gem("Tagged").spec()).isEqualTo(new GemSpec.Script("python", "out0 = in0.withColumn(\"tag\", lit(\"vip\"))"));
    assertThat(all.gem("Tagged").outputs()).extracting(Port::slug).containsExactly("out0");
    assertThat(all.gem("Placeholder").spec()).isInstanceOfSatisfying(GemSpec.Other.class,
        o -> assertThat(o.component()).isEqualTo("Todo"));
  }

  @Test
  void aSubgraphsInnerConnectionsNameItsOwnPorts() {
    Gem scoring = all.gem("Scoring");
    assertThat(scoring.spec()).isInstanceOf(GemSpec.Subgraph.class);
    PipelineGraph inner = scoring.subgraph().orElseThrow();
    assertThat(inner.gems()).extracting(Gem::name).containsExactly("Score", "HighScore");
    assertThat(inner.connections()).hasSize(3);
    Connection in = inner.connections().get(0);
    assertThat(in.source()).isEqualTo(scoring.id());
    assertThat(in.sourcePort()).isEqualTo(scoring.inputs().get(0).id());
    Connection out = inner.connections().get(2);
    assertThat(out.target()).isEqualTo(scoring.id());
    assertThat(out.targetPort()).isEqualTo(scoring.outputs().get(0).id());
    assertThat(all.upstream(all.gem("Report")).get("in0").gem()).isEqualTo(scoring);
  }

  @Test
  void validationNamesTheGemAndFieldOfEachProblem() {
    List<Diagnostic> found = all.validate();
    assertThat(found).anySatisfy(d -> {
      assertThat(d.isError()).isTrue();
      assertThat(d.gem()).contains("Placeholder");
      assertThat(d.location()).contains("component");
      assertThat(d.message()).contains("Todo");
    });
    assertThat(found).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Diagnostic.Severity.WARNING);
      assertThat(d.gem()).contains("Tagged");
      assertThat(d.location()).contains("script");
    });
    assertThat(found).noneMatch(d -> d.gem().filter(g -> g.equals("WithCustomer") || g.equals("Cleaned")
        || g.equals("BigOrders") || g.equals("Summary")).isPresent());

    PipelineGraph transpiled = Fixtures.read("python_shop", "transpiled");
    assertThat(transpiled.gem("SQ_Orders").spec()).isInstanceOfSatisfying(GemSpec.Reformat.class,
        r -> assertThat(r.columns().get(0).expression()).isEqualTo(new Expression("python", "col(\"order_id\")")));
    assertThat(transpiled.validate()).anySatisfy(d -> {
      assertThat(d.severity()).isEqualTo(Diagnostic.Severity.WARNING);
      assertThat(d.gem()).contains("SQ_Orders");
      assertThat(d.location()).contains("expressions[0].expression");
      assertThat(d.message()).contains("python");
    }).anySatisfy(d -> {
      assertThat(d.gem()).contains("Sort_1");
      assertThat(d.isError()).isTrue();
    }).noneMatch(d -> d.location().filter(l -> l.startsWith("connection")).isPresent());
    // A port whose id is its slug, as transpiled files have it, takes its connection.
    assertThat(transpiled.upstream(transpiled.gem("By_Customer")).get("in1").gem().name()).isEqualTo("Customers");
  }

  @Test
  void aScalaPipelineKeepsItsLanguageAndSlugs() {
    PipelineGraph enrich = Fixtures.read("scala_shop", "enrich");
    assertThat(enrich.gem("Fix").spec()).isEqualTo(new GemSpec.Script("scala", "val out0 = in0.withColumn(\"checked\", lit(true))"));
    assertThat(enrich.gem("Rated").inputs()).extracting(Port::slug).containsExactly("in");
    assertThat(enrich.gem("Keep").spec()).isEqualTo(new GemSpec.Filter(new Expression("scala", "col(\"big\") === lit(true)")));
    assertThat(enrich.validate()).anySatisfy(d -> {
      assertThat(d.gem()).contains("Keep");
      assertThat(d.location()).contains("condition");
      assertThat(d.message()).contains("scala");
    });
  }

  @Test
  void aJoinWithNamedInputsKeepsItsAliases() {
    PipelineGraph report = Fixtures.read("python_shop", "dbfs_report");
    var join = (GemSpec.Join) report.gem("JoinOrdersCustomers").spec();
    assertThat(join.conditions()).containsExactly(new GemSpec.JoinCondition("customers_in",
        Expression.sql("orders_in.customer_id = customers_in.customer_id"), JoinType.RIGHT_OUTER));
    assertThat(report.gem("JoinOrdersCustomers").inputs()).extracting(Port::slug).containsExactly("orders_in", "customers_in");
  }

  private static GemSpec spec(String component, String properties) throws Exception {
    return SpecReader.read(component, WorkflowWriter.readTree(properties), "python");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"inner,INNER", "left_outer,LEFT_OUTER", "leftouter,LEFT_OUTER", "LEFT,LEFT_OUTER",
      "right_outer,RIGHT_OUTER", "rightouter,RIGHT_OUTER", "full_outer,FULL_OUTER", "fullouter,FULL_OUTER",
      "leftanti,LEFT_ANTI", "leftsemi,LEFT_SEMI"})
  void joinTypesInEverySpelling(String spelled, JoinType expected) throws Exception {
    var join = (GemSpec.Join) spec("Join", "{\"conditions\": [{\"alias\": \"in1\", \"expression\": "
        + "{\"format\": \"sql\", \"expression\": \"in0.id = in1.id\"}, \"joinType\": \"" + spelled + "\"}]}");
    assertThat(join.conditions().get(0).type()).isEqualTo(expected);
  }

  @Test
  void otherSpellingsRealFilesHold() throws Exception {
    assertThat(spec("SetOperation", "{\"operationType\": \"unionAll\"}")).isEqualTo(new GemSpec.SetOperation(SetOp.UNION_ALL, false));
    assertThat(spec("SetOperation", "{\"operationType\": \"intersectAll\"}")).isEqualTo(new GemSpec.SetOperation(SetOp.INTERSECT_ALL, false));
    assertThat(spec("SetOperation", "{\"operationType\": \"exceptAll\"}")).isEqualTo(new GemSpec.SetOperation(SetOp.EXCEPT_ALL, false));
    assertThat(spec("Deduplicate", "{\"dedupType\": \"unique_only\", \"dedupColumns\": [\"id\"]}"))
        .isEqualTo(new GemSpec.Deduplicate(DedupType.UNIQUE_ONLY, List.of("id"), List.of()));
    assertThat(spec("Deduplicate", "{\"dedupType\": \"distinct\"}")).isEqualTo(new GemSpec.Deduplicate(DedupType.DISTINCT, List.of(), List.of()));
    assertThat(spec("Repartition", "{\"repartitionType\": \"coalesce\", \"nPartitions\": 4}"))
        .isEqualTo(new GemSpec.Repartition(RepartitionType.COALESCE, Optional.of(4), List.of()));
    assertThat(spec("Repartition", "{\"repartitionType\": \"range_partitioning\", \"nPartitions\": {\"format\": \"sql\", \"expression\": \"6\"}, "
        + "\"expressions\": [{\"expression\": {\"format\": \"sql\", \"expression\": \"d\"}}]}"))
        .isEqualTo(new GemSpec.Repartition(RepartitionType.RANGE, Optional.of(6), List.of(Expression.sql("d"))));
    assertThat(spec("Repartition", "{\"repartitionType\": \"random_partitioning\"}"))
        .isEqualTo(new GemSpec.Repartition(RepartitionType.RANDOM, Optional.empty(), List.of()));
    assertThat(spec("OrderBy", "{\"orders\": [{\"expression\": {\"format\": \"sql\", \"expression\": \"a\"}, \"sortType\": \"desc_nulls_last\"}, "
        + "{\"expression\": {\"format\": \"sql\", \"expression\": \"b\"}, \"sortType\": \"asc_nulls_last\"}]}"))
        .isEqualTo(new GemSpec.OrderBy(List.of(new GemSpec.Order(Expression.sql("a"), SortType.DESC),
            new GemSpec.Order(Expression.sql("b"), SortType.ASC_NULLS_LAST))));
    assertThat(spec("Limit", "{\"limit\": 25}")).isEqualTo(new GemSpec.Limit(Expression.sql("25")));
    assertThat(spec("Limit", "{\"limit\": {\"format\": \"sql\", \"expression\": \"'$rows'\"}}"))
        .isEqualTo(new GemSpec.Limit(Expression.sql("'$rows'")));
    assertThat(spec("Lookup", "{\"keyColumns\": []}")).isInstanceOf(GemSpec.Other.class);
  }

  /** A gem whose properties cannot be read opens anyway; validation names the gem and the field. */
  @Test
  void unreadablePropertiesBecomeDiagnostics() throws Exception {
    ObjectNode doc = (ObjectNode) WorkflowWriter.readTree("""
        {"metainfo": {"language": "python"}, "connections": [], "processes": {
          "j": {"id": "j", "component": "Join", "metadata": {"label": "J"}, "ports": {"inputs": [{"id": "a", "slug": "in0"}, {"id": "b", "slug": "in1"}], "outputs": []},
                "properties": {"conditions": [{"alias": "in1", "expression": {"format": "sql", "expression": "true"}, "joinType": "sideways"}]}},
          "r": {"id": "r", "component": "Repartition", "metadata": {"label": "R"}, "ports": {"inputs": [], "outputs": []},
                "properties": {"repartitionType": "coalesce", "nPartitions": "many"}},
          "s": {"id": "s", "component": "SchemaTransform", "metadata": {"label": "S"}, "ports": {"inputs": [], "outputs": []},
                "properties": {"transformations": [{"kind": "AddRule", "AddRule": {}}]}},
          "o": {"id": "o", "component": "OrderBy", "metadata": {"label": "O"}, "ports": {"inputs": [], "outputs": []},
                "properties": {"orders": [{"expression": {"format": "sql", "expression": "a"}, "sortType": "upwards"}]}},
          "x": {"id": "x", "component": "FlattenSchema", "metadata": {"label": "X"}, "ports": {"inputs": [], "outputs": []}, "properties": {"columns": []}},
          "n": "not an object"
        }, "diagnostics": [{"property": "$.workflow.processes.r.properties.nPartitions", "severity": 1, "message": "Found an error"}]}
        """);
    PipelineGraph g = PipelineGraph.fromWorkflow("odd", doc);
    assertThat(g.gems()).extracting(Gem::name).containsExactly("J", "R", "S", "O", "X");
    List<Diagnostic> found = g.validate();
    assertThat(found).anySatisfy(d -> assertDiagnostic(d, "J", "properties.conditions[0].joinType", "sideways"))
        .anySatisfy(d -> assertDiagnostic(d, "R", "properties.nPartitions", "many"))
        .anySatisfy(d -> assertDiagnostic(d, "S", "properties.transformations[0].kind", "AddRule"))
        .anySatisfy(d -> assertDiagnostic(d, "O", "properties.orders[0].sortType", "upwards"))
        .anySatisfy(d -> assertDiagnostic(d, "X", "component", "FlattenSchema"))
        .anySatisfy(d -> assertDiagnostic(d, "R", "$.workflow.processes.r.properties.nPartitions", "Found an error"))
        .anySatisfy(d -> assertThat(d.location()).contains("processes.n"));
    // The gems are written back as they were read; the entry that is not a process at all is not.
    ((ObjectNode) doc.get("processes")).remove("n");
    assertThat(WorkflowWriter.readTree(WorkflowWriter.write(g))).isEqualTo(doc);
  }

  private static void assertDiagnostic(Diagnostic d, String gem, String location, String text) {
    assertThat(d.isError()).isTrue();
    assertThat(d.gem()).contains(gem);
    assertThat(d.location()).contains(location);
    assertThat(d.message()).contains(text);
  }
}
