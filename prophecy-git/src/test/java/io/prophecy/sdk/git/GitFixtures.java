package io.prophecy.sdk.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/** Project folders and repositories for the Git tests, made with plain JGit as another tool would. */
final class GitFixtures {
  private GitFixtures() {}

  /** Copies a fixture project of the test resources ({@code /projects/<name>}) into a folder. */
  static Path copyProject(String name, Path to) {
    try {
      Path from = Path.of(GitFixtures.class.getResource("/projects/" + name + "/pbt_project.yml").toURI()).getParent();
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path p : walk.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fills an empty bare repository with a fixture project in one commit on {@code main}, as a
   * Prophecy user would have pushed it.
   */
  static void seed(Path bare, String fixture, Path scratch) throws Exception {
    Path work = copyProject(fixture, scratch);
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      PersonIdent someone = new PersonIdent("Someone", "someone@example.com");
      git.commit().setMessage("Project from Prophecy").setAuthor(someone).setCommitter(someone).setSign(false).call();
      git.push().setRemote(bare.toUri().toString()).add("main").call();
    }
  }

  /** Every regular file under a folder whose bytes contain the text. */
  static List<Path> filesContaining(Path root, String text) throws IOException {
    List<Path> out = new ArrayList<>();
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        if (indexOf(bytes, needle) >= 0) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
