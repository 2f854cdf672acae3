/**
 * The customer's BYOK set-up on AWS: {@link dev.byok.provisioning.Provisioner} with plan / apply /
 * verify / revoke / restore / destroy, the {@link dev.byok.provisioning.ProvisioningSpec} it works
 * from, and the reports it returns. Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.byok.provisioning;

import org.jspecify.annotations.NullMarked;
