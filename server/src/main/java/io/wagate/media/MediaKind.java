package io.wagate.media;

/** Where an object came from; retention and type rules differ by kind. */
public enum MediaKind {
  /** Received from a WhatsApp user through Meta; any type Meta delivers, up to 100 MB. */
  INBOUND,
  /** Uploaded by an internal client to be sent; Meta's outbound types and per-type caps apply. */
  OUTBOUND
}
