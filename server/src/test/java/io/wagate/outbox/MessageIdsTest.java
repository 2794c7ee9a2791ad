package io.wagate.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    @Test
    void format_roundTrips_andSortsLikeTheNumber() {
        List<Long> values = List.of(0L, 1L, 31L, 32L, 255L, 256L, 1L << 40, Long.MAX_VALUE, -1L);
        List<String> texts = new ArrayList<>();
        for (long v : values) {
            String s = MessageIds.format(v);
            assertThat(s).hasSize(13);
            assertThat(MessageIds.parse(s)).isEqualTo(v);
            assertThat(MessageIds.parse(s.toLowerCase())).isEqualTo(v);
            texts.add(s);
        }
        List<String> nonNegative = texts.subList(0, texts.size() - 1);
        assertThat(nonNegative).isSorted();
    }

    @Test
    void ids_areMonotonic_evenWhenTheClockStepsBack() {
        MessageIds ids = new MessageIds();
        long a = ids.next(10_000);
        long b = ids.next(10_000);
        long c = ids.next(9_000);
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
        ids.advancePast(Long.MAX_VALUE / 2);
        assertThat(ids.next(10_000)).isGreaterThan(Long.MAX_VALUE / 2);
        assertThat(MessageIds.millisOf(MessageIds.firstIdAt(12_345))).isEqualTo(12_345);
    }

    @Test
    void parse_refusesWhatIsNotAnId() {
        for (String bad : new String[] {null, "", "short", "0000000000000U", "000000000000U", "Z000000000000"}) {
            assertThatThrownBy(() -> MessageIds.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
