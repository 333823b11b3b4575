package io.prophecy.sdk.benchmarks;

import io.prophecy.sdk.Project;
import io.prophecy.sdk.Prophecy;
import io.prophecy.sdk.ProphecySession;
import io.prophecy.sdk.Team;
import io.prophecy.sdk.model.Commit;
import io.prophecy.sdk.model.ProjectSpec;
import io.prophecy.sdk.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Committing and pushing a change to every pipeline of a 1,000-pipeline project, through the SDK
 * ({@code project.git().commit(message)} then {@code push()}, JGit underneath) against the {@code git}
 * command line doing the same in the same working copy ({@code git add -A}, {@code git commit},
 * {@code git push origin main}), both to the nginx + git-http-backend server of
 * {@code scripts/bench-git.sh} with the same user and token.
 *
 * <p>The trial's setup (per fork, so per benchmark) builds the project through the SDK API
 * ({@link BigProject}: {@code pipelines} pipelines of six gems, their workflow JSON and generated
 * PySpark code), with a fresh empty bare repository on the server as its remote, and commits and pushes
 * it with the SDK: the remote then holds the project's previous state, as a team's repository does.
 * Before each invocation, {@code @Setup(Level.Invocation)} changes every pipeline ({@link
 * BigProject#edit}: one expression, in the workflow JSON and in the generated code, so two changed files
 * in each pipeline's folder, 2,000 of the project's 17,023). Only the commit and the push are measured:
 * the mode is {@code SingleShotTime}, which times the one call of the benchmark method per iteration and
 * none of the set-up or tear-down around it. After each invocation the tear-down fails the run unless
 * the server's {@code main} is the local {@code HEAD}, the commit changed both edited files of every
 * pipeline, and nothing is left uncommitted.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class GitPushBenchmark {
  private static final String ALICE = "alice@example.com";

  @Param({"1000"})
  public int pipelines;

  private GitServer server;
  private Path home;
  private Prophecy prophecy;
  private Project project;
  private Path workingCopy;
  private Path remoteDir;
  private Map<String, String> gitEnv;
  private int round;

  @Setup(Level.Trial)
  public void createProject() throws IOException {
    server = GitServer.fromSystemProperties();
    home = Files.createTempDirectory("prophecy-bench-git-");
    prophecy = Prophecy.builder().home(home).build();
    prophecy.users().create(ALICE);
    ProphecySession alice = prophecy.as(ALICE);
    alice.gitCredentials().set(server.host(), server.user, Secret.of(server.token()));
    Team team = alice.teams().create("analytics");
    String remote = server.createRepository("bench-push");
    remoteDir = server.directory(remote);
    project = team.projects().create(ProjectSpec.builder().name("big").gitRemote(remote).build());
    workingCopy = project.workingCopy();
    BigProject.fill(project, pipelines);
    project.git().commit(pipelines + " pipelines");
    project.git().push();
    gitEnv = Map.of("BENCH_GIT_USER", server.user, "BENCH_GIT_TOKEN", server.token());
    checkPushed(pipelines);
  }

  @TearDown(Level.Trial)
  public void deleteProject() throws IOException {
    if (prophecy != null) {
      prophecy.close();
    }
    Stores.deleteTree(home);
    Stores.deleteTree(remoteDir);
  }

  /** Not measured: edits one expression of every pipeline in the working copy. */
  @Setup(Level.Invocation)
  public void changeEveryPipeline() throws IOException {
    round++;
    BigProject.edit(workingCopy, pipelines, round);
  }

  /** Not measured: the server has the commit, and the commit changed every pipeline. */
  @TearDown(Level.Invocation)
  public void checkPushed() {
    checkPushed(pipelines);
  }

  private void checkPushed(int expectedPipelines) {
    String local = git(workingCopy, "rev-parse", "HEAD").strip();
    String remote = git(remoteDir, "-c", "safe.directory=*", "--git-dir=" + remoteDir, "rev-parse", "refs/heads/main").strip();
    if (!local.equals(remote)) {
      throw new IllegalStateException("The server's main is " + remote + ", the working copy's HEAD " + local);
    }
    List<String> files = git(workingCopy, "diff", "--name-only", "HEAD~1", "HEAD").lines().toList();
    long workflows = files.stream().filter(f -> f.endsWith("/code/.prophecy/workflow.latest.json")).count();
    long code = files.stream().filter(f -> f.endsWith("/graph/Shaped.py")).count();
    if (workflows != expectedPipelines || code != expectedPipelines) {
      throw new IllegalStateException("The last commit changed " + workflows + " workflow files and " + code
          + " Shaped.py files, expected " + expectedPipelines + " of each");
    }
    if (!git(workingCopy, "status", "--porcelain").isBlank()) {
      throw new IllegalStateException("Uncommitted changes left in " + workingCopy);
    }
  }

  /** The SDK: commit every change as the acting user, push the branch with the user's stored token. */
  @Benchmark
  public Commit sdkCommitPush() {
    Commit c = project.git().commit("Round " + round);
    project.git().push();
    return c;
  }

  /** Baseline: the git command line, same working copy, author, server and credentials. */
  @Benchmark
  public String gitCliCommitPush() {
    git(workingCopy, "add", "-A");
    git(workingCopy, "-c", "user.name=" + ALICE, "-c", "user.email=" + ALICE, "commit", "--quiet", "-m", "Round " + round);
    // The token reaches git through the environment and a credential helper, never the command line.
    return GitServer.run(workingCopy, gitEnv, "git", "-c", "credential.helper=",
        "-c", "credential.helper=!f() { test \"$1\" = get && echo username=\"$BENCH_GIT_USER\""
            + " && echo password=\"$BENCH_GIT_TOKEN\"; }; f",
        "push", "--quiet", "origin", "main");
  }

  /**
   * git without automatic gc or maintenance: after a commit of a few thousand objects it would start a
   * gc in the background, which runs on into the next measurement (the SDK's JGit starts none).
   */
  private static String git(Path dir, String... args) {
    String[] command = new String[args.length + 5];
    command[0] = "git";
    command[1] = "-c";
    command[2] = "gc.auto=0";
    command[3] = "-c";
    command[4] = "maintenance.auto=false";
    System.arraycopy(args, 0, command, 5, args.length);
    return GitServer.run(dir, Map.of(), command);
  }
}
