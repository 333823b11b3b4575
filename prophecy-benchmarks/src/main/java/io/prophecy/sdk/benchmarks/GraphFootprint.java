package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.pipeline.WorkflowWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap a pipeline graph holds, per gem: not a JMH benchmark (JMH measures time and allocation, not
 * what stays reachable), but a measurement taken the same way every time. It holds {@code copies}
 * graphs of the {@link CompileBenchmark} pipeline, built in Java and read back from their workflow text,
 * and prints the heap in use after a full collection, less the heap before them.
 *
 * <pre>
 * java -cp prophecy-benchmarks/target/benchmarks.jar io.prophecy.sdk.benchmarks.GraphFootprint [gems] [copies]
 * </pre>
 */
public final class GraphFootprint {
  private GraphFootprint() {}

  public static void main(String[] args) throws Exception {
    int gems = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int copies = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    PipelineGraph model = CompileBenchmark.pipeline(gems);
    String text = WorkflowWriter.write(model);
    long base = usedAfterGc();
    List<PipelineGraph> built = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      built.add(CompileBenchmark.pipeline(gems));
    }
    long afterBuilt = usedAfterGc();
    List<PipelineGraph> read = new ArrayList<>();
    for (int i = 0; i < copies; i++) {
      read.add(PipelineGraph.fromWorkflow(model.name(), WorkflowWriter.readTree(text)));
    }
    long afterRead = usedAfterGc();
    if (!read.get(0).equals(built.get(0))) {
      throw new IllegalStateException("a graph read back differs from the one built");
    }
    System.out.printf("%d graphs of %d gems: built in Java %,d bytes per gem, read from the workflow file %,d bytes per gem "
        + "(the file: %,d bytes per gem)%n", copies, gems, (afterBuilt - base) / ((long) copies * gems),
        (afterRead - afterBuilt) / ((long) copies * gems), text.length() / gems);
    System.out.println(built.size() + read.size() + " graphs held");
  }

  /** The heap in use after full collections (G1 runs {@code System.gc()} to its end before returning). */
  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
