package io.wagate.cli.bench;

import com.google.protobuf.ByteString;
import io.wagate.api.v1.SendRequest;
import io.wagate.api.v1.Text;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages a benchmark sends: text of a fixed size, from one sender, round-robin over
 * {@code toCount} distinct {@code +1555…} recipients so per-conversation FIFO does not serialise
 * the run; optionally with unique idempotency keys. Thread-safe.
 */
public final class RequestSource {

  /** Most distinct recipients; +1555 followed by seven digits. */
  public static final int MAX_RECIPIENTS = 10_000_000;

  private final SendRequest template;
  private final String[] recipients;
  private final String idempotencyPrefix;
  private final AtomicLong sequence = new AtomicLong();

  /**
   * A source of messages.
   *
   * @param from sender alias
   * @param toCount distinct recipients, 1..{@value #MAX_RECIPIENTS}
   * @param bodyBytes text body length in bytes (ASCII), 1..4096
   * @param idempotencyPrefix prefix of unique idempotency keys, or null for none
   */
  public RequestSource(String from, int toCount, int bodyBytes, String idempotencyPrefix) {
    if (toCount < 1 || toCount > MAX_RECIPIENTS) {
      throw new IllegalArgumentException("--to-count must be within 1.." + MAX_RECIPIENTS + ", got " + toCount);
    }
    if (bodyBytes < 1 || bodyBytes > 4096) {
      throw new IllegalArgumentException("--size must be within 1..4096, got " + bodyBytes);
    }
    this.template =
        SendRequest.newBuilder()
            .setFrom(from)
            // held as bytes: every request serialises the body without encoding it again
            .setText(Text.newBuilder().setBodyBytes(ByteString.copyFromUtf8(body(bodyBytes))))
            .build();
    this.recipients = new String[toCount];
    for (int i = 0; i < toCount; i++) {
      recipients[i] = recipient(i);
    }
    this.idempotencyPrefix = idempotencyPrefix;
  }

  /** The i-th recipient: {@code +1555} and {@code i} in seven digits. */
  public static String recipient(int i) {
    String digits = Integer.toString(i);
    return "+1555" + "0000000".substring(digits.length()) + digits;
  }

  /** The next message. */
  public SendRequest next() {
    long n = sequence.getAndIncrement();
    SendRequest.Builder b = template.toBuilder().setTo(recipients[(int) (n % recipients.length)]);
    if (idempotencyPrefix != null) {
      b.setIdempotencyKey(idempotencyPrefix + n);
    }
    return b.build();
  }

  private static String body(int bytes) {
    byte[] pattern = "wagate bench message ".getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      b[i] = pattern[i % pattern.length];
    }
    return new String(b, StandardCharsets.US_ASCII);
  }
}
