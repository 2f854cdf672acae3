/**
 * The {@link dev.byok.core.keys.KeyService} SPI: the few key-management operations the vendor side
 * needs (generate a data key, decrypt a data key, describe a key), its typed results and errors,
 * and {@code LocalKeyService} (module byok-local), the embedded implementation for development,
 * demos and tests.
 */
@NullMarked
package dev.byok.core.keys;

import org.jspecify.annotations.NullMarked;
