package io.wagate.media;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@link EncryptedMediaStore#list}.
 *
 * @param items       objects in id order
 * @param nextCursor  pass to the next call to continue after the last item; null when done
 */
public record MediaPage(List<MediaObject> items, String nextCursor) {
  /** Copies the list. */
  public MediaPage {
    items = List.copyOf(items);
  }

  /** The cursor, if more may follow. */
  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }
}
