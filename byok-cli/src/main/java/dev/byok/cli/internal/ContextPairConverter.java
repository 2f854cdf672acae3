package dev.byok.cli.internal;

import dev.byok.core.EncryptionContext;
import java.util.AbstractMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads one {@code --context KEY=VALUE} pair: split at the first {@code =}; the key must be
 * non-empty and not use the reserved {@code aws-crypto-} prefix; the value may be empty or contain
 * {@code =}. Stateless and thread-safe.
 */
public final class ContextPairConverter implements ITypeConverter<Map.Entry<String, String>> {
  @Override
  public Map.Entry<String, String> convert(String value) {
    int eq = value.indexOf('=');
    if (eq < 0) {
      throw new TypeConversionException("'" + Errors.oneLine(value) + "' is not KEY=VALUE (e.g. tenant=acme)");
    }
    String key = value.substring(0, eq);
    String val = value.substring(eq + 1);
    if (key.isEmpty()) {
      throw new TypeConversionException("'" + Errors.oneLine(value) + "' has an empty key (expected KEY=VALUE, e.g. tenant=acme)");
    }
    if (key.startsWith(EncryptionContext.RESERVED_PREFIX)) {
      throw new TypeConversionException("key '" + Errors.oneLine(key) + "' uses the reserved prefix '"
          + EncryptionContext.RESERVED_PREFIX + "'");
    }
    return new AbstractMap.SimpleImmutableEntry<>(key, val);
  }
}
