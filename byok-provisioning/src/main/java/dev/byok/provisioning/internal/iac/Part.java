package dev.byok.provisioning.internal.iac;

import java.util.Objects;

/**
 * A piece of an exported string: literal text, or a reference to a value that is known only where
 * the files are applied (the account, the customer key made there) or that the customer supplies
 * there (vendor accounts, external ID).
 */
public sealed interface Part {
  /** What a {@link Ref} stands for. */
  enum Kind {
    /** The customer's account ID. */
    ACCOUNT,
    /** The AWS partition, such as {@code aws}. */
    PARTITION,
    /** The region the set-up is applied in. */
    REGION,
    /** The log role's external ID. */
    EXTERNAL_ID,
    /** One of the vendor's account IDs, by its index in the spec. */
    VENDOR_ACCOUNT,
    /** The customer key's ID (the key is made by the same template or module). */
    KEY_ID,
    /** The customer key's ARN. */
    KEY_ARN
  }

  /**
   * Literal text.
   *
   * @param text the text
   */
  record Lit(String text) implements Part {
    /** Checks the text is not null. */
    public Lit {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A reference.
   *
   * @param kind what it stands for
   * @param index the vendor account's index (0 for the other kinds)
   */
  record Ref(Kind kind, int index) implements Part {
    /** Checks the kind is not null. */
    public Ref {
      Objects.requireNonNull(kind, "kind");
    }

    static Ref of(Kind kind) {
      return new Ref(kind, 0);
    }
  }
}
