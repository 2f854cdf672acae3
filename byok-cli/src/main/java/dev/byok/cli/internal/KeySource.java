package dev.byok.cli.internal;

import dev.byok.core.KeyArn;
import dev.byok.core.keys.KeyService;
import dev.byok.core.keys.KeyServiceException;
import dev.byok.local.LocalKeyService;
import dev.byok.aws.kms.AwsKmsKeyService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the customer key of an encrypt or decrypt comes from: the embedded key service
 * ({@code --keystore FILE --key ID|ALIAS|ARN}) or AWS KMS ({@code --key KMS_KEY_ARN}, with
 * {@code --region} and {@code --endpoint-url} for an emulator). Not thread-safe (filled by picocli).
 */
public final class KeySource {
  @Option(names = "--keystore", paramLabel = "FILE",
      description = "Use the embedded key service's keystore file (see 'byok keys').")
  Path keystore;

  @Option(names = "--key", paramLabel = "KEY", required = true,
      description = "With --keystore: key ID, alias/NAME or ARN. Without: the AWS KMS key ARN.")
  String key;

  @Option(names = "--region", paramLabel = "REGION",
      description = "AWS region; must match the key ARN's region (the ARN decides).")
  String region;

  @Option(names = "--endpoint-url", paramLabel = "URL",
      description = "KMS endpoint (e.g. local-kms): URL or kms=URL.")
  List<String> endpoints = new ArrayList<>();

  /** The key service and the resolved key ARN; close it when done. */
  public static final class Resolved implements AutoCloseable {
    private final KeyService service;
    private final KeyArn keyArn;
    private final AutoCloseable owned;

    Resolved(KeyService service, KeyArn keyArn, AutoCloseable owned) {
      this.service = service;
      this.keyArn = keyArn;
      this.owned = owned;
    }

    public KeyService service() {
      return service;
    }

    public KeyArn keyArn() {
      return keyArn;
    }

    @Override
    public void close() throws Exception {
      if (owned != null) {
        owned.close();
      }
    }
  }

  /**
   * Opens the key service these options name.
   *
   * @throws UsageException for a missing keystore, an unknown local key, a key that is not an ARN
   *     without a keystore, a region that contradicts the ARN, or a bad endpoint
   */
  public Resolved open() {
    if (keystore != null) {
      if (!endpoints.isEmpty()) {
        throw new UsageException("--endpoint-url: not used with --keystore (the embedded key service has no endpoint)");
      }
      LocalKeyService local = Keystores.open(keystore, false);
      KeyArn arn;
      try {
        arn = local.describe(key).keyArn();
      } catch (KeyServiceException e) {
        throw new UsageException("--key '" + Errors.oneLine(key) + "': no such key in keystore " + keystore
            + " (see: byok keys list --keystore " + keystore + ")", e);
      }
      if (region != null && !region.equals(arn.region())) {
        throw new UsageException("--region " + region + ": the keystore's keys are in " + arn.region());
      }
      return new Resolved(local.ownerClient(), arn, null);
    }
    KeyArn arn;
    try {
      arn = KeyArn.parse(key);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--key: without --keystore, give an AWS KMS key ARN (" + e.getMessage() + ")", e);
    }
    if (arn.resourceType() != KeyArn.ResourceType.KEY) {
      throw new UsageException("--key: give the key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), not an alias ARN: "
          + "messages name the key itself, so decrypt must too");
    }
    if (region != null && !region.equals(arn.region())) {
      throw new UsageException("--region " + region + " differs from the key ARN's region " + arn.region());
    }
    Endpoints eps = Endpoints.parse(endpoints);
    AwsKmsKeyService.Builder b = AwsKmsKeyService.builder();
    eps.of("kms").ifPresent(b::endpointOverride);
    AwsKmsKeyService kms = b.build();
    return new Resolved(kms, arn, kms);
  }
}
