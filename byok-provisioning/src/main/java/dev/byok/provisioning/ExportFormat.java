package dev.byok.provisioning;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The infrastructure-as-code formats {@link Provisioner#export(ProvisioningSpec, ExportFormat)}
 * writes: a CloudFormation template or a Terraform module (root module for the {@code hashicorp/aws}
 * provider).
 *
 * <p>Immutable and thread-safe.
 */
public enum ExportFormat {
  /** One CloudFormation template, {@code template.json}. */
  CLOUDFORMATION("cloudformation"),
  /** A Terraform module: {@code versions.tf}, {@code variables.tf}, {@code main.tf}, {@code outputs.tf}. */
  TERRAFORM("terraform");

  private final String id;

  ExportFormat(String id) {
    this.id = id;
  }

  /** The format's name on the command line, such as {@code cloudformation}. */
  public String id() {
    return id;
  }

  /**
   * The format named {@code name} ({@code cloudformation} or {@code terraform}, any case).
   *
   * @throws IllegalArgumentException naming the value given and the formats there are
   */
  public static ExportFormat parse(@Nullable String name) {
    if (name != null) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      for (ExportFormat f : values()) {
        if (f.id.equals(n)) {
          return f;
        }
      }
    }
    return fail(name);
  }

  private static ExportFormat fail(@Nullable String name) {
    throw new IllegalArgumentException("unknown export format '" + name + "': use cloudformation or terraform");
  }
}
