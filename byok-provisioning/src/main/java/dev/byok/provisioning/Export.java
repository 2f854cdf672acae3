package dev.byok.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The set-up of a spec as infrastructure as code, made by
 * {@link Provisioner#export(ProvisioningSpec, ExportFormat)}: the files of a CloudFormation template
 * or a Terraform module, the notes for whoever applies them, and the plan's lint warnings.
 *
 * <pre>{@code
 * Export e = Provisioner.export(spec, ExportFormat.TERRAFORM);
 * e.writeTo(Path.of("byok-terraform"));   // versions.tf, variables.tf, main.tf, outputs.tf
 * }</pre>
 *
 * <p>The resources, names, settings and policy documents are the plan's; the account ID, partition
 * and region are resolved where the files are applied, the vendor accounts and the external ID are
 * parameters (variables), the external ID secret ({@code NoEcho} / {@code sensitive}) and never
 * written into the files.
 *
 * <p>Immutable and thread-safe.
 */
public final class Export {
  private final ExportFormat format;
  private final Map<String, String> files;
  private final List<String> notes;
  private final List<LintFinding> warnings;

  Export(ExportFormat format, Map<String, String> files, List<String> notes, List<LintFinding> warnings) {
    this.format = Objects.requireNonNull(format, "format");
    this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    this.notes = List.copyOf(notes);
    this.warnings = List.copyOf(warnings);
  }

  /** The format written. */
  public ExportFormat format() { return format; }

  /** Every file, by its name (no folders), in a stable order: name to UTF-8 text. */
  public Map<String, String> files() { return files; }

  /** What whoever applies the files should know: parameters, what follows the apply. */
  public List<String> notes() { return notes; }

  /** The plan's lint warnings, such as a wildcard action that the vendor profile grants. */
  public List<LintFinding> warnings() { return warnings; }

  /**
   * Every file in one text, for standard output: the template itself, or the Terraform files one
   * after the other under a {@code # file: NAME} line (together they are one valid {@code .tf} file).
   */
  public String text() {
    if (files.size() == 1) {
      return files.values().iterator().next();
    }
    StringBuilder b = new StringBuilder();
    files.forEach((name, text) -> {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append("# file: ").append(name).append('\n').append(text);
    });
    return b.toString();
  }

  /**
   * Writes every file into {@code dir}, creating it if needed, replacing files of the same names
   * and leaving any other file alone.
   *
   * @return the paths written, in {@link #files()} order
   * @throws IOException when the folder cannot be created or a file cannot be written
   */
  public List<Path> writeTo(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
      written.add(p);
    }
    return written;
  }

  @Override
  public String toString() {
    return "Export{" + format.id() + ", files=" + files.keySet() + ", warnings=" + warnings.size() + "}";
  }
}
