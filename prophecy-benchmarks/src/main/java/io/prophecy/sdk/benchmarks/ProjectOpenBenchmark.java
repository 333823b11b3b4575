package io.prophecy.sdk.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prophecy.sdk.Pipeline;
import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.pipeline.PipelineGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opening a 1,000-pipeline project from its Git working copy in a running SDK: {@code
 * team.projects().open(name, folder)} (reads {@code pbt_project.yml}, opens the working copy with JGit
 * for its branch and remote, registers the project), then its pipelines. ({@link OpenBenchmark} opens the
 * SDK on a home, not a project.) Target: under 2 s.
 *
 * <p>The trial's setup builds the project through the SDK API ({@link BigProject}) and commits it, so
 * the folder is a Git working copy with its history, as a checked-out Prophecy repository is. Each call
 * opens it under a new name (a team's project names are unique; the registry grows by one row per call).
 * {@link #openAndList} lists the pipelines (the index); {@link #openAndReadAll} also reads every
 * pipeline's graph from its workflow JSON, as a tool that shows the whole project does; {@link
 * #plainReadAll} does that reading without the SDK, each file parsed once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProjectOpenBenchmark {
  @Param({"1000"})
  public int pipelines;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path home;
  private Prophecy prophecy;
  private Team team;
  private Path folder;
  private int opened;

  @Setup(Level.Trial)
  public void createProject() throws IOException {
    home = Files.createTempDirectory("prophecy-bench-open-project-");
    prophecy = Prophecy.builder().home(home).build();
    prophecy.users().create("alice@example.com");
    team = prophecy.as("alice@example.com").teams().create("analytics");
    Project project = team.projects().create("big");
    BigProject.fill(project, pipelines);
    project.git().commit(pipelines + " pipelines");
    folder = project.workingCopy();
    int listed = openAndList().size();
    int gems = openAndReadAll();
    int plainGems = plainReadAll();
    if (listed != pipelines || gems != pipelines * 6 || plainGems != gems) {
      throw new IllegalStateException("Opened " + listed + " pipelines of " + gems + " gems (read plainly: " + plainGems
          + "), expected " + pipelines + " of " + pipelines * 6);
    }
  }

  @TearDown(Level.Trial)
  public void deleteProject() throws IOException {
    if (prophecy != null) {
      prophecy.close();
    }
    Stores.deleteTree(home);
  }

  /** Opens the working copy as a project and lists its pipelines. */
  @Benchmark
  public List<Pipeline> openAndList() {
    Project p = team.projects().open("opened-" + (++opened), folder);
    return p.pipelines().list();
  }

  /**
   * The floor of {@link #openAndReadAll}'s file work, without the SDK: {@code pbt_project.yml} parsed
   * once (Jackson's YAML, as the SDK reads it), then each listed pipeline's workflow JSON parsed and
   * turned into its graph with {@code PipelineGraph.fromWorkflow}; the gem count.
   */
  @Benchmark
  public int plainReadAll() throws IOException {
    JsonNode index = YAML.readTree(folder.resolve("pbt_project.yml").toFile());
    int gems = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = index.path("pipelines").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode workflow = JSON.readTree(folder.resolve(entry.getKey()).resolve("code/.prophecy/workflow.latest.json").toFile());
      gems += PipelineGraph.fromWorkflow(entry.getValue().path("name").asText(), workflow).gems().size();
    }
    return gems;
  }

  /** Opens the working copy as a project, lists its pipelines and reads every one's graph; the gem count. */
  @Benchmark
  public int openAndReadAll() {
    Project p = team.projects().open("opened-" + (++opened), folder);
    int gems = 0;
    for (Pipeline pipeline : p.pipelines().list()) {
      gems += pipeline.graph().gems().size();
    }
    return gems;
  }
}
