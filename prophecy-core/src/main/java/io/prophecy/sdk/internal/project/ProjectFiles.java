package io.prophecy.sdk.internal.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.prophecy.sdk.InvalidInputException;
import io.prophecy.sdk.ProphecyException;
import io.prophecy.sdk.internal.Checks;
import io.prophecy.sdk.model.DatasetSpec;
import io.prophecy.sdk.model.PipelineInfo;
import io.prophecy.sdk.pipeline.Diagnostic;
import io.prophecy.sdk.pipeline.Gem;
import io.prophecy.sdk.pipeline.GemSpec;
import io.prophecy.sdk.pipeline.PipelineGraph;
import io.prophecy.sdk.pipeline.WorkflowWriter;
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
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A project's working copy in the layout of a Prophecy project: the index {@code pbt_project.yml},
 * {@code datasets/<name>/<fabric or default>/configs/dataset.json}, {@code pipelines/<name>/...} with
 * the workflow file, and the jobs the index lists.
 *
 * <p>The index is read as a tree and edited as text: adding, replacing or removing one entry, or
 * setting one value, changes only the lines of that entry and keeps comments, key order, quoting and
 * everything else byte for byte; a file this cannot edit safely (flow style, anchors) is rewritten
 * from the tree, keeping every key. A file is written only when its content changes. Files are
 * replaced atomically; edits are serialised within the JVM and, through a lock file under the SDK
 * home, between JVMs.
 *
 * <p>Reading a real project is lenient: a dataset or pipeline whose files are odd is reported as a
 * {@link Diagnostic} naming its file ({@link #problems()}, {@link #scanDatasets()},
 * {@link #readPipeline}) and the rest of the project still reads.
 */
public final class ProjectFiles {
  public static final String INDEX = "pbt_project.yml";
  /** A pipeline's workflow file, under its folder. */
  public static final String WORKFLOW = "code/.prophecy/workflow.latest.json";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter PRETTY = JSON.writer(
      new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));
  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{\\$[^}]*}");
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** dataset.json keys that are Prophecy's own, not format options. */
  private static final Set<String> NOT_OPTIONS = Set.of("format", "path", "table", "description", "schema",
      "datasetType", "useSchema", "activeTab", "isCatalogEnabled", "componentInfo");

  private final Path root;
  private final Path lockFile;
  private final Clock clock;

  /**
   * @param root the working copy
   * @param lockFile the file that serialises edits between processes; outside the working copy
   */
  public ProjectFiles(Path root, Path lockFile) {
    this(root, lockFile, Clock.systemUTC());
  }

  /** As {@link #ProjectFiles(Path, Path)}, with the clock that stamps {@code createdAt} and {@code modifiedAt}. */
  public ProjectFiles(Path root, Path lockFile, Clock clock) {
    this.root = root.toAbsolutePath().normalize();
    this.lockFile = lockFile;
    this.clock = clock;
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
    locked(() -> {
      Path file = root.resolve(INDEX);
      if (Files.exists(file)) {
        throw new ProphecyException(file + " exists already");
      }
      writeAtomically(file, YamlEmitter.document(index));
      return null;
    });
  }

  /** Reads the index. */
  public ObjectNode index() {
    Path file = root.resolve(INDEX);
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return PARSED.parse(file, text).deepCopy();
    } catch (IOException e) {
      if (!Files.exists(file)) {
        throw new InvalidInputException(file.toString(), "is missing: a Prophecy project folder has a " + INDEX);
      }
      throw new ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The indexes read last, by file, with the text they were read from. Reading every pipeline of a large
   * project reads the index once per pipeline; the file is still read each time (so a change made by
   * another process or a Git checkout is seen at once), but unchanged text is not parsed again.
   */
  private static final ParsedIndexes PARSED = new ParsedIndexes(32);

  static final class ParsedIndexes {
    private record Parsed(String text, ObjectNode index) {}

    private final Map<Path, Parsed> byFile;

    ParsedIndexes(int files) {
      this.byFile = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Parsed> eldest) {
          return size() > files;
        }
      };
    }

    /** The parsed index of this text; the node returned is shared: copy it before handing it out. */
    ObjectNode parse(Path file, String text) {
      Path key = file.toAbsolutePath().normalize();
      synchronized (byFile) {
        Parsed p = byFile.get(key);
        if (p != null && p.text().equals(text)) {
          return p.index();
        }
      }
      ObjectNode index = parseIndex(text, file);
      synchronized (byFile) {
        byFile.put(key, new Parsed(text, index));
      }
      return index;
    }
  }

  private static ObjectNode parseIndex(String text, Path file) {
    try {
      JsonNode node = YAML.readTree(text);
      if (node == null || !node.isObject()) {
        throw new InvalidInputException(file.toString(), "is not a Prophecy project index: its top level is not a map");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(file.toString(), "is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    }
  }

  /**
   * Sets one value of the index by its key path, such as {@code ["version"]}, changing only its lines.
   */
  public void setIndexValue(List<String> path, JsonNode value) {
    editIndex(List.of(new IndexEditor.Put(path, value)));
  }

  // ---------------------------------------------------------------------------------------------- pipelines

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

  /** The workflow file of a pipeline, listed or not. */
  public Path workflowFile(String name) {
    return root.resolve(pipelineKey(index(), name).orElse("pipelines/" + name)).resolve(WORKFLOW);
  }

  /**
   * The text of a pipeline's workflow file, without reading it as a graph; empty when the file is not on
   * disk. {@link #readPipeline} of the same text gives the graph.
   */
  public Optional<String> workflowText(String name) {
    Path file = workflowFile(name);
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A pipeline's graph; empty when it is not on disk or its workflow file is not JSON ({@link #readPipeline} says why). */
  public Optional<PipelineGraph> pipeline(String name) {
    return readPipeline(name).graph();
  }

  /**
   * Reads a pipeline's workflow file, reporting what is wrong with its files: listed in the index but
   * missing on disk, on disk but not listed, not JSON (naming the line), a Source or Target without a
   * {@code datasetId}, an unfilled {@code ${$...}} placeholder in a property.
   */
  public PipelineRead readPipeline(String name) {
    ObjectNode index = index();
    Optional<String> key = pipelineKey(index, name);
    Path folder = root.resolve(key.orElse("pipelines/" + name));
    Path file = folder.resolve(WORKFLOW);
    String rel = relative(file);
    List<Diagnostic> out = new ArrayList<>();
    if (key.isEmpty()) {
      if (!Files.exists(file)) {
        out.add(Diagnostic.error(null, INDEX, "pipeline '" + name + "' is neither listed in " + INDEX + " nor on disk"));
        return new PipelineRead(name, Optional.empty(), out);
      }
      out.add(Diagnostic.warning(null, relative(folder), "pipeline '" + name + "' is on disk but not listed in "
          + INDEX + "; add it there for Prophecy to show it"));
    }
    if (!Files.exists(file)) {
      out.add(Diagnostic.error(null, rel, "is missing: " + INDEX + " lists pipeline '" + name + "'"));
      return new PipelineRead(name, Optional.empty(), out);
    }
    JsonNode tree;
    try {
      tree = WorkflowWriter.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      out.add(Diagnostic.error(null, rel + (at == null ? "" : ":" + at.getLineNr()),
          "is not valid JSON" + where + ": " + e.getOriginalMessage()));
      return new PipelineRead(name, Optional.empty(), out);
    } catch (IOException e) {
      throw new ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!tree.isObject()) {
      out.add(Diagnostic.error(null, rel, "is not a workflow: its top level is not a JSON object"));
      return new PipelineRead(name, Optional.empty(), out);
    }
    PipelineGraph graph = PipelineGraph.fromWorkflow(name, tree);
    check(graph, rel, "", out);
    return new PipelineRead(name, Optional.of(graph), out);
  }

  /** Source or Target gems without a dataset, and unfilled placeholders, in a graph and its subgraphs. */
  private static void check(PipelineGraph graph, String file, String prefix, List<Diagnostic> out) {
    for (Gem g : graph.gems()) {
      String gem = prefix + g.name();
      if ((g.spec() instanceof GemSpec.Source s && s.datasetId().isBlank())
          || (g.spec() instanceof GemSpec.Target t && t.datasetId().isBlank())) {
        out.add(Diagnostic.error(gem, file + ": properties.datasetId", "a " + g.component()
            + " gem names no dataset (properties.datasetId is missing); choose the dataset it "
            + (g.spec() instanceof GemSpec.Source ? "reads" : "writes")));
      }
      placeholders(gem, file, "properties", g.properties(), out);
      g.subgraph().ifPresent(sub -> check(sub, file, gem + "/", out));
    }
  }

  private static void placeholders(String gem, String file, String field, JsonNode node, List<Diagnostic> out) {
    if (node.isTextual()) {
      var m = PLACEHOLDER.matcher(node.asText());
      if (m.find()) {
        // Prophecy itself writes importLanguage this way; it does not change what the gem does.
        boolean harmless = field.endsWith(".importLanguage");
        out.add(new Diagnostic(harmless ? Diagnostic.Severity.INFO : Diagnostic.Severity.WARNING,
            Optional.of(gem), Optional.of(file + ": " + field), "holds the unfilled placeholder " + m.group()
                + (harmless ? "; Prophecy fills it with the pipeline's expression language" : "; give the value itself")));
      }
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> placeholders(gem, file, field + "." + e.getKey(), e.getValue(), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        placeholders(gem, file, field + "[" + i + "]", node.get(i), out);
      }
    }
  }

  /**
   * Writes a pipeline: its workflow file, its {@code pbt_aspects.yml} (when absent) and its entry in the
   * index, with the datasets its Source and Target gems read and write. An entry that exists keeps its
   * author, creation time and keys this SDK does not know; {@code modifiedAt} changes only when the
   * workflow does. Writing an unchanged pipeline changes no file.
   *
   * @param description the description to set; empty keeps the one the index has
   */
  public void putPipeline(PipelineGraph graph, String author, Optional<String> description) {
    String name = Checks.name("pipeline.name", graph.name());
    locked(() -> {
      ObjectNode index = readIndexForEdit();
      String key = pipelineKey(index, name).orElse("pipelines/" + name);
      Path folder = root.resolve(key);
      Path file = folder.resolve(WORKFLOW);
      String text = WorkflowWriter.write(graph);
      if (Files.exists(file) && readString(file).endsWith("\n")) {
        text += "\n"; // keep the file's own convention
      }
      boolean changed = writeIfChanged(file, text);
      ObjectNode meta = graph.metainfo();
      String language = text(meta, "language").orElse(text(index, "language").orElse("python"));
      Path aspects = folder.resolve("pbt_aspects.yml");
      if (!Files.exists(aspects)) {
        ObjectNode a = NODES.objectNode();
        a.put("version", 1);
        ArrayNode configurations = a.putArray("configurations");
        configurations.add("default");
        graph.configuration().instances().keySet().stream().filter(i -> !i.equals("default")).forEach(configurations::add);
        if (!language.equals("scala")) {
          a.putArray("dependencies");
        }
        a.putObject("pipelineVersion").put("version", "2");
        writeAtomically(aspects, YamlEmitter.document(a));
      }
      JsonNode existing = index.path("pipelines").get(key);
      boolean isNew = !(existing instanceof ObjectNode);
      ObjectNode entry = isNew ? NODES.objectNode() : (ObjectNode) existing.deepCopy();
      String now = STAMP.format(clock.instant());
      entry.put("name", name);
      if (description.isPresent() || !entry.has("description")) {
        entry.put("description", description.orElse(""));
      }
      if (!entry.has("author")) {
        entry.put("author", author);
      }
      entry.put("mode", text(meta, "mode").orElse("batch"));
      if (!entry.has("artefactID")) {
        entry.put("artefactID", "");
      }
      entry.put("language", language);
      if (!entry.has("createdAt")) {
        entry.put("createdAt", now);
      }
      if (isNew || changed) {
        entry.put("modifiedAt", now);
      }
      ObjectNode datasets = entry.has("datasets") && entry.get("datasets").isObject()
          ? (ObjectNode) entry.get("datasets") : entry.putObject("datasets");
      TreeSet<String> inputs = new TreeSet<>();
      TreeSet<String> outputs = new TreeSet<>();
      TreeSet<String> subgraphs = new TreeSet<>();
      datasetsOf(graph, inputs, outputs, subgraphs);
      ArrayNode in = datasets.putArray("inputs");
      inputs.forEach(in::add);
      ArrayNode out = datasets.putArray("outputs");
      outputs.forEach(out::add);
      ArrayNode sg = entry.putArray("subgraphs");
      subgraphs.forEach(sg::add);
      if (!entry.has("dependencies")) {
        entry.putObject("dependencies");
      }
      editIndexLocked(List.of(new IndexEditor.Put(List.of("pipelines", key), entry)));
      return null;
    });
  }

  private static void datasetsOf(PipelineGraph graph, Set<String> inputs, Set<String> outputs, Set<String> subgraphs) {
    for (Gem g : graph.gems()) {
      if (g.spec() instanceof GemSpec.Source s && !s.datasetId().isBlank()) {
        inputs.add(datasetId(s.datasetId()));
      } else if (g.spec() instanceof GemSpec.Target t && !t.datasetId().isBlank()) {
        outputs.add(datasetId(t.datasetId()));
      }
      text(g.properties(), "externalId").filter(id -> id.startsWith("subgraphs/")).ifPresent(subgraphs::add);
      g.subgraph().ifPresent(sub -> datasetsOf(sub, inputs, outputs, subgraphs));
    }
  }

  private static String datasetId(String id) {
    return id.startsWith("datasets/") ? id : "datasets/" + id;
  }

  /**
   * Writes a pipeline's generated code into its {@code code/} folder: each file unless it holds the same
   * bytes already. In the folders the generator owns (a gem per file), files it no longer makes are
   * removed, so a deleted gem leaves no code behind; other files (a README, tests) are left alone.
   *
   * @param files the generated files, by path relative to {@code pipelines/<name>/code/}
   * @param owned folders, relative to {@code code/}, whose content is wholly generated
   * @return the paths, relative to the project, that were written or removed
   */
  public List<String> putPipelineCode(String name, java.util.SortedMap<String, String> files, List<String> owned) {
    return locked(() -> {
      Path code = root.resolve(pipelineKey(readIndexForEdit(), name).orElse("pipelines/" + name)).resolve("code");
      List<String> changed = new ArrayList<>();
      for (var e : files.entrySet()) {
        Path file = code.resolve(e.getKey()).normalize();
        if (!file.startsWith(code)) {
          throw new ProphecyException("generated path '" + e.getKey() + "' leaves the pipeline's code folder");
        }
        if (writeIfChanged(file, e.getValue())) {
          changed.add(relative(file));
        }
      }
      for (String folder : owned) {
        Path dir = code.resolve(folder).normalize();
        if (!dir.startsWith(code) || !Files.isDirectory(dir)) {
          continue;
        }
        try (var walk = Files.walk(dir)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            String rel = code.relativize(p).toString().replace('\\', '/');
            if (Files.isRegularFile(p) && !files.containsKey(rel)) {
              Files.delete(p);
              changed.add(relative(p));
            } else if (Files.isDirectory(p) && !p.equals(dir)) {
              try (var left = Files.list(p)) {
                if (left.findAny().isEmpty()) {
                  Files.delete(p);
                }
              }
            }
          }
        }
      }
      return changed;
    });
  }

  /** Removes a pipeline's entry from the index and deletes its folder; returns whether it was listed or on disk. */
  public boolean removePipeline(String name) {
    return locked(() -> {
      ObjectNode index = readIndexForEdit();
      Optional<String> key = pipelineKey(index, name);
      Path folder = root.resolve(key.orElse("pipelines/" + name));
      boolean existed = key.isPresent() || Files.exists(folder);
      if (key.isPresent()) {
        editIndexLocked(List.of(new IndexEditor.Remove(List.of("pipelines", key.get()))));
      }
      deleteTree(folder);
      return existed;
    });
  }

  /** The key of a listed pipeline ({@code pipelines/<name>}), found by key or by its entry's name. */
  private static Optional<String> pipelineKey(ObjectNode index, String name) {
    JsonNode map = index.path("pipelines");
    if (map.has("pipelines/" + name)) {
      return Optional.of("pipelines/" + name);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      var e = it.next();
      if (text(e.getValue(), "name").filter(name::equals).isPresent() || last(e.getKey()).equals(name)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /**
   * Everything found wrong with the project's files: datasets that cannot be read, pipelines listed but
   * missing, on disk but unlisted, unreadable, without datasets, or with unfilled placeholders. Each
   * diagnostic names the file.
   */
  public List<Diagnostic> problems() {
    List<Diagnostic> out = new ArrayList<>(scanDatasets().diagnostics());
    ObjectNode index = index();
    Set<String> listedFolders = new TreeSet<>();
    for (var e : entries(index, "pipelines").entrySet()) {
      String name = text(e.getValue(), "name").orElse(last(e.getKey()));
      listedFolders.add(root.resolve(e.getKey()).normalize().toString());
      out.addAll(readPipeline(name).diagnostics());
    }
    Path dir = root.resolve("pipelines");
    if (Files.isDirectory(dir)) {
      try (var list = Files.list(dir)) {
        for (Path p : list.filter(Files::isDirectory).sorted().toList()) {
          if (!listedFolders.contains(p.normalize().toString())) {
            out.add(Diagnostic.warning(null, relative(p), "pipeline '" + p.getFileName() + "' is on disk but not listed in "
                + INDEX + "; add it there for Prophecy to show it"));
          }
        }
      } catch (IOException e) {
        throw new ProphecyException("Cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  // ----------------------------------------------------------------------------------------------- datasets

  /** The datasets the index lists that can be read; {@link #scanDatasets()} also says which cannot. */
  public List<DatasetSpec> datasets() {
    return scanDatasets().items();
  }

  /**
   * The datasets as one fabric sees them: each one's physical dataset for that fabric
   * ({@code datasets/<name>/<fabric>/configs/dataset.json}) where the project has one, else its default.
   */
  public List<DatasetSpec> datasets(String fabric) {
    return scanDatasets(Optional.of(fabric)).items();
  }

  /**
   * Reads every dataset the index lists from its {@code dataset.json}. One that cannot be read (missing
   * file, not JSON, a name or format the SDK does not take) becomes a diagnostic naming its file.
   */
  public ProjectScan<DatasetSpec> scanDatasets() {
    return scanDatasets(Optional.empty());
  }

  private ProjectScan<DatasetSpec> scanDatasets(Optional<String> fabric) {
    List<DatasetSpec> out = new ArrayList<>();
    List<Diagnostic> problems = new ArrayList<>();
    for (var e : entries(index(), "datasets").entrySet()) {
      String name = text(e.getValue(), "name").orElse(last(e.getKey()));
      try {
        out.add(readDataset(name, e.getKey(), e.getValue(), fabric));
      } catch (InvalidInputException x) {
        String location = x.location().startsWith(root + java.io.File.separator)
            ? x.location().substring(root.toString().length() + 1).replace('\\', '/') : x.location();
        problems.add(Diagnostic.error(null, location, "dataset '" + name + "' cannot be read: " + detail(x)));
      }
    }
    out.sort((x, y) -> x.name().compareTo(y.name()));
    return new ProjectScan<>(out, problems);
  }

  /**
   * A dataset by name.
   *
   * @throws InvalidInputException naming its file when it is listed but cannot be read
   */
  public Optional<DatasetSpec> dataset(String name) {
    JsonNode entry = index().path("datasets").path("datasets/" + name);
    return entry.isMissingNode() ? Optional.empty() : Optional.of(readDataset(name, "datasets/" + name, entry, Optional.empty()));
  }

  /** A dataset as one fabric sees it: its physical dataset for that fabric, else the default. */
  public Optional<DatasetSpec> dataset(String name, String fabric) {
    JsonNode entry = index().path("datasets").path("datasets/" + name);
    return entry.isMissingNode() ? Optional.empty() : Optional.of(readDataset(name, "datasets/" + name, entry, Optional.of(fabric)));
  }

  /** Writes a dataset's {@code default/configs/dataset.json} and its entry in the index. */
  public void putDataset(DatasetSpec spec, String author) {
    putDataset(spec, author, DEFAULT_FABRIC, Optional.empty());
  }

  /** The folder and {@code physicalDatasets} key of the physical dataset that serves every fabric without its own. */
  public static final String DEFAULT_FABRIC = "default";

  /**
   * Writes a dataset's physical dataset for one fabric, {@code <name>/<fabric>/configs/dataset.json}, and
   * its {@code physicalDatasets.<fabric>} entry ({@code fabricId}, {@code datasetType}) in the index.
   * Other fabrics' physical datasets are left as they are.
   */
  public void putDataset(DatasetSpec spec, String author, String fabric, Optional<String> fabricId) {
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
    locked(() -> {
      ObjectNode index = readIndexForEdit();
      if (!Files.exists(dir.resolve("pbt_aspects.yml"))) {
        writeAtomically(dir.resolve("pbt_aspects.yml"), "version: 1\n");
      }
      writeIfChanged(dir.resolve(fabric).resolve("configs/dataset.json"), json(config));
      String key = "datasets/" + spec.name();
      JsonNode existing = index.path("datasets").get(key);
      ObjectNode entry = existing instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
      entry.put("name", spec.name());
      entry.put("description", spec.description().orElse(""));
      if (!entry.has("author")) {
        entry.put("author", author);
      }
      if (!entry.has("createdAt")) {
        entry.put("createdAt", STAMP.format(clock.instant()));
      }
      entry.put("mode", "batch");
      ObjectNode physical = entry.get("physicalDatasets") instanceof ObjectNode p ? p : entry.putObject("physicalDatasets");
      ObjectNode forFabric = physical.get(fabric) instanceof ObjectNode d ? d : physical.putObject(fabric);
      fabricId.ifPresent(id -> forFabric.put("fabricId", id));
      forFabric.put("datasetType", spec.isFile() ? "File" : "Table");
      editIndexLocked(List.of(new IndexEditor.Put(List.of("datasets", key), entry)));
      return null;
    });
  }

  /** Removes a dataset from the index and deletes its folder; returns whether it was listed. */
  public boolean removeDataset(String name) {
    return locked(() -> {
      ObjectNode index = readIndexForEdit();
      boolean listed = index.path("datasets").has("datasets/" + name);
      if (listed) {
        editIndexLocked(List.of(new IndexEditor.Remove(List.of("datasets", "datasets/" + name))));
      }
      deleteTree(root.resolve("datasets").resolve(name));
      return listed;
    });
  }

  private DatasetSpec readDataset(String name, String key, JsonNode entry, Optional<String> fabric) {
    Path config = configOf(key, entry, fabric);
    JsonNode node;
    try {
      node = JSON.readTree(config.toFile());
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(config.toString(), "is missing: the index lists dataset '" + name + "'");
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(config.toString(), "is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    } catch (IOException e) {
      if (!Files.exists(config)) {
        throw new InvalidInputException(config.toString(), "is missing: the index lists dataset '" + name + "'");
      }
      throw new ProphecyException("Cannot read " + config + ": " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(config.toString(), "is not a dataset configuration: its top level is not a JSON object");
    }
    DatasetSpec.Builder b = DatasetSpec.builder().name(name);
    String format = text(node, "format").orElseThrow(
        () -> new InvalidInputException(config + ": format", "dataset '" + name + "' has no format"));
    b.format(format);
    Set<String> consumed = new TreeSet<>(NOT_OPTIONS);
    Optional<String> table = tableOf(node, format, consumed);
    table.ifPresent(b::table);
    if (!consumed.contains("path:database")) {
      text(node, "path").filter(p -> !p.isBlank()).ifPresent(b::path);
    }
    text(entry, "description").filter(d -> !d.isBlank()).or(() -> text(node, "description").filter(d -> !d.isBlank()))
        .ifPresent(b::description);
    JsonNode schema = node.path("schema");
    if (schema.isTextual()) {
      try {
        JsonNode parsed = JSON.readTree(schema.asText());
        schema = parsed != null && parsed.isObject() ? parsed : schema;
      } catch (JsonProcessingException e) {
        // not JSON: a schema name, as Snowflake datasets hold; kept as an option below
      }
    }
    if (schema.isObject()) {
      for (JsonNode f : schema.path("fields")) {
        b.addSchema(new DatasetSpec.Column(f.path("name").asText(), sparkType(f.path("type")), f.path("nullable").asBoolean(true)));
      }
    } else if (schema.isTextual()) {
      b.putOptions("schema", schema.asText());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var field = it.next();
      JsonNode value = field.getValue();
      if (consumed.contains(field.getKey()) || value.isNull()) {
        continue;
      }
      if (field.getKey().equals("partitionColumns") && value.isArray()) {
        b.putOptions(field.getKey(), value.toString()); // ["country"], as the option's text form takes it
        continue;
      }
      if (value.isContainerNode()) {
        continue;
      }
      b.putOptions(field.getKey(), value.asText());
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      throw new InvalidInputException(config + ": " + e.location(), detail(e), e);
    }
  }

  /** An exception's message without the location it starts with. */
  private static String detail(InvalidInputException e) {
    String m = e.getMessage();
    String prefix = e.location() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  /**
   * The table of a table dataset: {@code table}, {@code dbtable}, {@code jdbcTable} or {@code tableName};
   * a catalogTable names its database in {@code database} or {@code path} (and its catalog in
   * {@code catalog} when {@code isCatalogEnabled}). Other formats keep {@code database} as an option
   * (Snowflake's, for one, also has a schema name between database and table).
   */
  private static Optional<String> tableOf(JsonNode node, String format, Set<String> consumed) {
    Optional<String> direct = text(node, "table").filter(t -> !t.isBlank());
    if (direct.isPresent()) {
      return direct;
    }
    for (String k : List.of("dbtable", "jdbcTable")) {
      Optional<String> t = text(node, k).filter(s -> !s.isBlank());
      if (t.isPresent()) {
        consumed.add(k);
        return t;
      }
    }
    Optional<String> name = text(node, "tableName").filter(s -> !s.isBlank());
    if (name.isEmpty()) {
      return Optional.empty();
    }
    consumed.add("tableName");
    List<String> parts = new ArrayList<>();
    if (format.equalsIgnoreCase("catalogTable")) {
      if (node.path("isCatalogEnabled").asBoolean(false)) {
        text(node, "catalog").filter(s -> !s.isBlank()).ifPresent(parts::add);
      }
      consumed.add("catalog");
      Optional<String> database = text(node, "database").filter(s -> !s.isBlank());
      if (database.isPresent()) {
        consumed.add("database");
      } else {
        database = text(node, "path").filter(s -> !s.isBlank());
        consumed.add("path");
        consumed.add("path:database");
      }
      database.ifPresent(parts::add);
    }
    parts.add(name.get());
    return Optional.of(String.join(".", parts));
  }

  /** A Spark schema type as SQL: a name as it is, a nested struct, array or map JSON as {@code struct<...>}. */
  static String sparkType(JsonNode type) {
    if (type.isTextual()) {
      return type.asText();
    }
    if (!type.isObject()) {
      return type.toString();
    }
    String kind = type.path("type").asText("");
    switch (kind) {
      case "struct" -> {
        List<String> fields = new ArrayList<>();
        for (JsonNode f : type.path("fields")) {
          String n = f.path("name").asText();
          fields.add((SIMPLE_NAME.matcher(n).matches() ? n : "`" + n.replace("`", "``") + "`") + ":" + sparkType(f.path("type")));
        }
        return "struct<" + String.join(",", fields) + ">";
      }
      case "array" -> {
        return "array<" + sparkType(type.path("elementType")) + ">";
      }
      case "map" -> {
        return "map<" + sparkType(type.path("keyType")) + "," + sparkType(type.path("valueType")) + ">";
      }
      default -> {
        return type.has("sqlType") ? sparkType(type.get("sqlType")) : type.toString();
      }
    }
  }

  /** The dataset's config file: the default fabric's, else the first physical dataset's. */
  private Path configOf(String key, JsonNode entry, Optional<String> fabric) {
    Path dir = root.resolve(key.startsWith("datasets/") ? key : "datasets/" + key);
    if (fabric.isPresent()) {
      Path own = dir.resolve(fabric.get()).resolve("configs/dataset.json");
      if (Files.exists(own)) {
        return own;
      }
    }
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

  // --------------------------------------------------------------------------------------------------- jobs

  /** The jobs the index lists, keyed by name, as raw entries. */
  public Map<String, JsonNode> jobs() {
    Map<String, JsonNode> out = new java.util.TreeMap<>();
    entries(index(), "jobs").forEach((key, entry) -> out.put(text(entry, "name").orElse(last(key)), entry));
    return out;
  }

  /** Writes a job's entry in the index. */
  public void putJob(String name, ObjectNode entry) {
    editIndex(List.of(new IndexEditor.Put(List.of("jobs", "jobs/" + name), entry)));
  }

  /**
   * Writes files of a job under its folder {@code jobs/<name>/}, by path relative to it; a file whose text
   * did not change is not written again.
   *
   * @return the files written, relative to the project
   */
  public List<String> putJobFiles(String name, java.util.SortedMap<String, String> files) {
    return locked(() -> {
      Path folder = root.resolve("jobs").resolve(name).normalize();
      for (String path : files.keySet()) { // every path checked before any file is written
        Path file = folder.resolve(path).normalize();
        if (!file.startsWith(folder) || file.equals(folder)) {
          throw new ProphecyException("job file path '" + path + "' leaves the folder of job '" + name + "'");
        }
      }
      List<String> changed = new ArrayList<>();
      for (var e : files.entrySet()) {
        Path file = folder.resolve(e.getKey()).normalize();
        if (writeIfChanged(file, e.getValue())) {
          changed.add(relative(file));
        }
      }
      return changed;
    });
  }

  /** Removes a job's entry from the index and its folder {@code jobs/<name>/} with what it holds. */
  public boolean removeJob(String name) {
    return locked(() -> {
      ObjectNode index = readIndexForEdit();
      boolean listed = index.path("jobs").has("jobs/" + name);
      if (listed) {
        editIndexLocked(List.of(new IndexEditor.Remove(List.of("jobs", "jobs/" + name))));
      }
      Path folder = root.resolve("jobs").resolve(name).normalize();
      if (folder.startsWith(root.resolve("jobs")) && !folder.equals(root.resolve("jobs")) && Files.isDirectory(folder)) {
        deleteTree(folder);
      }
      return listed;
    });
  }

  public static ObjectNode newNode() {
    return NODES.objectNode();
  }

  // ------------------------------------------------------------------------------------------ index editing

  private ObjectNode readIndexForEdit() {
    Path file = root.resolve(INDEX);
    if (!Files.exists(file)) {
      throw new InvalidInputException(file.toString(), "is missing: a Prophecy project folder has a " + INDEX);
    }
    return index();
  }

  private void editIndex(List<IndexEditor.Change> changes) {
    locked(() -> {
      readIndexForEdit();
      editIndexLocked(changes);
      return null;
    });
  }

  /** Applies changes to the index file, in place where it can; the caller holds the lock. */
  private void editIndexLocked(List<IndexEditor.Change> changes) {
    Path file = root.resolve(INDEX);
    String text = readString(file);
    String next = edited(text, parseIndex(text, file), changes);
    writeIfChanged(file, next);
  }

  /**
   * The index text with the changes made: edited in place when the result reads back as the changed
   * tree, else the changed tree written whole in Prophecy's style.
   */
  static String edited(String text, ObjectNode tree, List<IndexEditor.Change> changes) {
    ObjectNode expected = tree.deepCopy();
    changes.forEach(c -> c.apply(expected));
    ObjectNode current = tree.deepCopy();
    Optional<String> out = Optional.of(text);
    for (IndexEditor.Change c : changes) {
      if (out.isEmpty()) {
        break;
      }
      out = IndexEditor.apply(out.get(), current, c);
      c.apply(current);
    }
    if (out.isPresent() && readsAs(out.get(), expected)) {
      return out.get();
    }
    String whole = YamlEmitter.document(expected);
    if (readsAs(whole, expected)) {
      return whole;
    }
    try {
      return YAML.writeValueAsString(expected);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean readsAs(String text, ObjectNode expected) {
    try {
      return expected.equals(YAML.readTree(text));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * Runs work that rewrites the working copy (a Git checkout, merge or commit) under the project's edit
   * lock, so that no edit of the SDK's interleaves with it in this JVM or another. Edits made by the
   * work itself take the lock again without waiting.
   */
  public <T> T exclusive(Callable<T> work) {
    return locked(work);
  }

  /**
   * A three-way merge of the index for a Git merge: each top-level key, and each entry of the maps
   * ({@code pipelines}, {@code datasets}, {@code jobs}, ...), takes the side that changed it. The
   * result is our text with their changes edited in, as every other index edit. Empty when both sides
   * changed one entry (or one top-level value) differently, or a text is no index.
   *
   * @param base the index at the common ancestor; empty text when there was none
   */
  public static Optional<String> mergeIndex(String base, String ours, String theirs) {
    ObjectNode b;
    ObjectNode o;
    ObjectNode t;
    try {
      b = base.isBlank() ? NODES.objectNode() : parseIndex(base, Path.of("base:" + INDEX));
      o = parseIndex(ours, Path.of("ours:" + INDEX));
      t = parseIndex(theirs, Path.of("theirs:" + INDEX));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
    List<IndexEditor.Change> changes = new ArrayList<>();
    if (!merge3(List.of(), b, o, t, changes)) {
      return Optional.empty();
    }
    return Optional.of(changes.isEmpty() ? ours : edited(ours, o, changes));
  }

  private static boolean merge3(List<String> path, JsonNode b, JsonNode o, JsonNode t, List<IndexEditor.Change> changes) {
    java.util.Set<String> keys = new java.util.LinkedHashSet<>();
    o.fieldNames().forEachRemaining(keys::add);
    t.fieldNames().forEachRemaining(keys::add);
    b.fieldNames().forEachRemaining(keys::add);
    for (String k : keys) {
      JsonNode bv = b.get(k);
      JsonNode ov = o.get(k);
      JsonNode tv = t.get(k);
      if (java.util.Objects.equals(ov, tv) || java.util.Objects.equals(bv, tv)) {
        continue; // the same on both sides, or only we changed it
      }
      List<String> at = new ArrayList<>(path);
      at.add(k);
      if (java.util.Objects.equals(bv, ov)) {
        changes.add(tv == null ? new IndexEditor.Remove(at) : new IndexEditor.Put(at, tv));
        continue;
      }
      boolean maps = ov != null && ov.isObject() && tv != null && tv.isObject() && (bv == null || bv.isObject());
      if (path.isEmpty() && maps) {
        if (!merge3(at, bv == null ? NODES.objectNode() : bv, ov, tv, changes)) {
          return false;
        }
        continue;
      }
      return false;
    }
    return true;
  }

  /** Parses index text read from elsewhere (such as an older commit). */
  public static ObjectNode parseIndexText(String text, String where) {
    return parseIndex(text, Path.of(where));
  }

  /** Runs under the project's lock: within the JVM and, through the lock file, between processes. */
  private <T> T locked(Callable<T> work) {
    ReentrantLock lock = LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
    lock.lock();
    try {
      if (lock.getHoldCount() > 1) {
        return work.call(); // this thread holds the file lock already, through exclusive(...)
      }
      Files.createDirectories(lockFile.toAbsolutePath().getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = ch.lock()) {
        return work.call();
      }
    } catch (IOException e) {
      throw new ProphecyException("Cannot write the project files in " + root + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ProphecyException("Cannot write the project files in " + root + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------------- files

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the file unless it holds this content already; returns whether it wrote. */
  private static boolean writeIfChanged(Path file, String content) {
    if (Files.exists(file)) {
      try {
        if (java.util.Arrays.equals(Files.readAllBytes(file), content.getBytes(StandardCharsets.UTF_8))) {
          return false;
        }
      } catch (IOException e) {
        throw new ProphecyException("Cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    writeAtomically(file, content);
    return true;
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
      return PRETTY.writeValueAsString(node) + "\n";
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

  /** A path under the project, as the project names it ({@code pipelines/daily/...}, with {@code /}). */
  private String relative(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(root) ? root.relativize(abs).toString().replace('\\', '/') : abs.toString();
  }

  private static Map<String, JsonNode> entries(ObjectNode index, String key) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
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
