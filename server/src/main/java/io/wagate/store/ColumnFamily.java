package io.wagate.store;

import java.util.Locale;

/**
 * The column families of the database, one per storage concern.
 *
 * <p>The RocksDB name of each family is {@link #cfName()}, the lower-case constant name; renaming
 * a constant therefore renames its family on disk, so constants are only ever appended. Column
 * families present on disk but unknown to this build are opened and kept, never dropped.
 *
 * <p>Immutable and thread-safe.
 */
public enum ColumnFamily {
  /** Bookkeeping of the store itself, for example the schema version. */
  META,
  /** Messages by id. */
  MESSAGES,
  /** Messages waiting to be dispatched. */
  PENDING,
  /** Client idempotency keys. */
  IDEMPOTENCY,
  /** Secondary index of messages by recipient. */
  BY_RECIPIENT,
  /** Idempotency keys by acceptance time, so expired keys are found without a full scan. */
  IDEMPOTENCY_BY_TIME,
  /** The event log: events by offset. */
  EVENTS,
  /** Stable event ids, so a redelivered webhook is stored once. */
  EVENT_IDS,
  /** Consumer groups and their committed offsets. */
  EVENT_GROUPS,
  /** Customer-service windows by (phone number, user). */
  CONTACT_WINDOWS,
  /** Progress of internal readers of the event log (the status reconciler). */
  EVENT_CURSORS,
  /** Encrypted media objects' metadata by media id (the bytes are files under data_dir/media). */
  MEDIA,
  /** Media ids by (kind, creation time), so retention finds expired objects without a full scan. */
  MEDIA_BY_TIME,
  /** Inbound media being fetched from Meta (or lost), by our media id. */
  MEDIA_FETCHES,
  /** Consent (opt-in, opt-out) by (phone-number id, user), with a short history. */
  CONSENT,
  /** Users reached outside their customer-service window in the last 24 hours (the messaging limit). */
  MESSAGING_REACH,
  /** The billing meter's counts and wamids already counted; per-client daily usage. */
  BILLING,
  /** The template catalogue: templates by (WABA, name, language) and each WABA's sync state. */
  TEMPLATES;

  private final String cfName = name().toLowerCase(Locale.ROOT);

  /** Returns the RocksDB column family name: the lower-case {@link #name()}. */
  public String cfName() {
    return cfName;
  }
}
