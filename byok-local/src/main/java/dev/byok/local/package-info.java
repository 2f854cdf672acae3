/**
 * {@link dev.byok.local.LocalKeyService}, the embedded key service that behaves like AWS KMS for
 * the calls byok makes, with its customer-side views ({@link dev.byok.local.LocalKeyInfo},
 * {@link dev.byok.local.LocalKeyCall}, {@link dev.byok.local.ContextDenyRule}). For demos, the
 * CLI and tests; not for production. Nothing here is nullable unless marked {@code @Nullable}.
 */
@NullMarked
package dev.byok.local;

import org.jspecify.annotations.NullMarked;
