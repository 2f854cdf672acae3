/**
 * Not API: what the internal parts of byok-crypto share (their settings). Not exported.
 */
@NullMarked
package dev.byok.crypto.internal;

import org.jspecify.annotations.NullMarked;
