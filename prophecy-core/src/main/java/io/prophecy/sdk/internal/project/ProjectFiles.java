package io.prophecy.sdk.internal.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.PipelineInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A project's working copy in the layout of a Prophecy project: the index {@code pbt_project.yml},
 * {@code datasets/<name>/<fabric or default>/configs/dataset.json}, and the pipelines and jobs the
 * index lists. The index is read and edited as a tree, so keys this class does not know are kept.
 * Files are replaced atomically; edits are serialised within the JVM and, through a lock file under
 * the SDK home, between JVMs.
 */
public final class ProjectFiles {
  public static final String INDEX = "pbt_project.yml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Path root;
  private final Path lockFile;

  /**
   * @param root the working copy
   * @param lockFile the file that serialises edits between processes; outside the working copy
   */
  public ProjectFiles(Path root, Path lockFile) {
    this.root = root.toAbsolutePath().normalize();
    this.lockFile = lockFile;
  }

  public Path root() {
    return root;
  }

  /** Writes the index of a new project, with the maps Prophecy keeps, all empty. */
  public void initialize(String name, Optional<String> description, String language, String author, String parent) {
    ObjectNode index = NODES.objectNode();
    index.put("name", name);
    index.put("description", description.orElse(""));
    index.put("version", "0.0.1");
    index.put("author", author);
    index.put("language", language);
    ObjectNode build = index.putObject("buildSystemDetails");
    build.put("artefactID", name.toLowerCase(Locale.ROOT));
    build.put("parentArtefactID", parent);
    build.put("buildSystem", language.equals("scala") ? "maven" : "wheel");
    for (String map : List.of("pipelines", "datasets", "templates", "jobs", "functions", "subgraphs",
        "dependencies", "projectDependencies", "pipelineConfigurations", "flags")) {
      index.putObject(map);
    }
    edit(existing -> {
      if (existing != null) {
        throw new ProphecyException(root.resolve(INDEX) + " exists already");
      }
      return index;
    });
  }

  /** Reads the index. */
  public ObjectNode index() {
    Path file = root.resolve(INDEX);
    try {
      JsonNode node = YAML.readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new InvalidInputException(file.toString(), "is not a Prophecy project index: its top level is not a map");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(file.toString(), "is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new InvalidInputException(file.toString(), "is missing: a Prophecy project folder has a " + INDEX);
      }
      throw new ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The pipelines the index lists, by name. */
  public List<PipelineInfo> pipelines() {
    List<PipelineInfo> out = new ArrayList<>();
    entries(index(), "pipelines").forEach((key, entry) -> {
      PipelineInfo.Builder b = PipelineInfo.builder().name(text(entry, "name").orElse(last(key)));
      text(entry, "description").filter(d -> !d.isBlank()).ifPresent(b::description);
      text(entry, "language").ifPresent(b::language);
      if ("stream".equalsIgnoreCase(text(entry, "mode").orElse("batch"))) {
        b.mode(PipelineInfo.Mode.STREAM);
      }
      JsonNode datasets = entry.path("datasets");
      datasets.path("inputs").forEach(n -> b.addInputs(last(n.asText())));
      datasets.path("outputs").forEach(n -> b.addOutputs(last(n.asText())));
      out.add(b.build());
    });
    out.sort((x, y) -> x.name().compareTo(y.name()));
    return out;
  }

  /** The datasets the index lists, each read from its {@code dataset.json}. */
  public List<DatasetSpec> datasets() {
    List<DatasetSpec> out = new ArrayList<>();
    for (var e : entries(index(), "datasets").entrySet()) {
      String name = text(e.getValue(), "name").orElse(last(e.getKey()));
      out.add(readDataset(name, e.getValue()));
    }
    out.sort((x, y) -> x.name().compareTo(y.name()));
    return out;
  }

  public Optional<DatasetSpec> dataset(String name) {
    JsonNode entry = index().path("datasets").path("datasets/" + name);
    return entry.isMissingNode() ? Optional.empty() : Optional.of(readDataset(name, entry));
  }

  /** Writes a dataset's {@code default/configs/dataset.json} and its entry in the index. */
  public void putDataset(DatasetSpec spec, String author) {
    Path dir = root.resolve("datasets").resolve(spec.name());
    ObjectNode config = NODES.objectNode();
    config.put("format", spec.format());
    spec.path().ifPresent(p -> config.put("path", p));
    spec.table().ifPresent(t -> config.put("table", t));
    spec.description().ifPresent(d -> config.put("description", d));
    ObjectNode schema = config.putObject("schema");
    schema.put("type", "struct");
    ArrayNode fields = schema.putArray("fields");
    for (DatasetSpec.Column c : spec.schema()) {
      ObjectNode f = fields.addObject();
      f.put("name", c.name());
      f.put("type", c.type());
      f.put("nullable", c.nullable());
      f.putObject("metadata");
    }
    spec.options().forEach(config::put);
    edit(index -> {
      requireIndex(index);
      writeAtomically(dir.resolve("pbt_aspects.yml"), "version: 1\n");
      writeAtomically(dir.resolve("default/configs/dataset.json"), json(config));
      ObjectNode entry = NODES.objectNode();
      entry.put("name", spec.name());
      entry.put("description", spec.description().orElse(""));
      entry.put("author", author);
      entry.put("mode", "batch");
      entry.putObject("physicalDatasets").putObject("default").put("datasetType", spec.isFile() ? "File" : "Table");
      mapOf(index, "datasets").set("datasets/" + spec.name(), entry);
      return index;
    });
  }

  /** Removes a dataset from the index and deletes its folder; returns whether it was listed. */
  public boolean removeDataset(String name) {
    boolean[] removed = {false};
    edit(index -> {
      requireIndex(index);
      removed[0] = mapOf(index, "datasets").remove("datasets/" + name) != null;
      return index;
    });
    deleteTree(root.resolve("datasets").resolve(name));
    return removed[0];
  }

  /** The jobs the index lists, keyed by name, as raw entries. */
  public Map<String, JsonNode> jobs() {
    Map<String, JsonNode> out = new java.util.TreeMap<>();
    entries(index(), "jobs").forEach((key, entry) -> out.put(text(entry, "name").orElse(last(key)), entry));
    return out;
  }

  /** Writes a job's entry in the index. */
  /** Adds or replaces a pipeline's entry in the index. */
  public void putPipelineEntry(String name, ObjectNode entry) {
    edit(index -> {
      requireIndex(index);
      mapOf(index, "pipelines").set("pipelines/" + name, entry);
      return index;
    });
  }

  /** The index entry of a pipeline, if listed. */
  public Optional<ObjectNode> pipelineEntry(String name) {
    JsonNode e = entries(index(), "pipelines").get("pipelines/" + name);
    return e instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
  }

  public boolean removePipelineEntry(String name) {
    boolean[] removed = {false};
    edit(index -> {
      requireIndex(index);
      removed[0] = mapOf(index, "pipelines").remove("pipelines/" + name) != null;
      return index;
    });
    return removed[0];
  }

  /** Writes a file under the working copy atomically, unless it holds these bytes already. */
  public boolean writeIfChanged(String relative, String content) {
    Path file = root.resolve(relative);
    try {
      if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
        return false;
      }
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new ProphecyException("Cannot write " + file + ": " + e.getMessage(), e);
    }
    writeAtomically(file, content);
    return true;
  }

  /** Deletes a folder of the working copy with everything in it. */
  public void deleteFolder(String relative) {
    deleteTree(root.resolve(relative));
  }

  public void putJob(String name, ObjectNode entry) {
    edit(index -> {
      requireIndex(index);
      mapOf(index, "jobs").set("jobs/" + name, entry);
      return index;
    });
  }

  public boolean removeJob(String name) {
    boolean[] removed = {false};
    edit(index -> {
      requireIndex(index);
      removed[0] = mapOf(index, "jobs").remove("jobs/" + name) != null;
      return index;
    });
    return removed[0];
  }

  public static ObjectNode newNode() {
    return NODES.objectNode();
  }

  private DatasetSpec readDataset(String name, JsonNode entry) {
    Path config = configOf(name, entry);
    JsonNode node;
    try {
      node = JSON.readTree(config.toFile());
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(config.toString(), "is missing: the index lists dataset '" + name + "'");
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(config.toString(), "is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      if (!Files.exists(config)) {
        throw new InvalidInputException(config.toString(), "is missing: the index lists dataset '" + name + "'");
      }
      throw new ProphecyException("Cannot read " + config + ": " + e.getMessage(), e);
    }
    DatasetSpec.Builder b = DatasetSpec.builder().name(name);
    text(node, "format").ifPresentOrElse(b::format,
        () -> { throw new InvalidInputException(config + ": format", "dataset '" + name + "' has no format"); });
    text(node, "path").ifPresent(b::path);
    text(node, "table").ifPresent(b::table);
    text(entry, "description").filter(d -> !d.isBlank()).or(() -> text(node, "description")).ifPresent(b::description);
    for (JsonNode f : node.path("schema").path("fields")) {
      JsonNode type = f.path("type");
      b.addSchema(new DatasetSpec.Column(f.path("name").asText(), type.isTextual() ? type.asText() : type.toString(),
          f.path("nullable").asBoolean(true)));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      String k = field.getKey();
      if (List.of("format", "path", "table", "description", "schema").contains(k) || field.getValue().isNull()
          || field.getValue().isContainerNode()) {
        continue;
      }
      b.putOptions(k, field.getValue().asText());
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      throw new InvalidInputException(config + ": " + e.location(), e.getMessage(), e);
    }
  }

  /** The dataset's config file: the default fabric's, else the first physical dataset's. */
  private Path configOf(String name, JsonNode entry) {
    Path dir = root.resolve("datasets").resolve(name);
    Path byDefault = dir.resolve("default/configs/dataset.json");
    if (Files.exists(byDefault)) {
      return byDefault;
    }
    for (Iterator<String> it = entry.path("physicalDatasets").fieldNames(); it.hasNext(); ) {
      Path candidate = dir.resolve(it.next()).resolve("configs/dataset.json");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    return byDefault;
  }

  private void requireIndex(ObjectNode index) {
    if (index == null) {
      throw new InvalidInputException(root.resolve(INDEX).toString(), "is missing: a Prophecy project folder has a " + INDEX);
    }
  }

  /** Reads the index (null when absent), applies the change and writes the result, under the project's lock. */
  private void edit(Function<ObjectNode, ObjectNode> change) {
    ReentrantLock lock = LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
    lock.lock();
    try {
      Files.createDirectories(lockFile.toAbsolutePath().getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = ch.lock()) {
        ObjectNode current = Files.exists(root.resolve(INDEX)) ? index() : null;
        ObjectNode next = change.apply(current);
        writeAtomically(root.resolve(INDEX), YAML.writeValueAsString(next));
      }
    } catch (IOException e) {
      throw new ProphecyException("Cannot write the project files in " + root + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new ProphecyException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new ProphecyException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode mapOf(ObjectNode index, String key) {
    JsonNode node = index.get(key);
    if (node instanceof ObjectNode o) {
      return o;
    }
    return index.putObject(key); // absent or empty (null) in the file
  }

  private static Map<String, JsonNode> entries(ObjectNode index, String key) {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    JsonNode map = index.path(key);
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      var e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** A scalar field's text; empty when the field is absent, null or a container. */
  public static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? Optional.of(v.asText()) : Optional.empty();
  }

  private static String last(String key) {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? key : key.substring(slash + 1);
  }
}
