package io.wagate.events;

import io.wagate.api.v1.Event;
import io.wagate.api.v1.EventFilter;
import io.wagate.api.v1.EventKind;
import io.wagate.outbox.InvalidRequestException;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/** Filters of subscriptions and reads, and the conversation an event belongs to. */
public final class EventFilters {
    private EventFilters() {
    }

    /**
     * Checks a filter: kinds must be known; numbers are matched by alias or phone-number id as
     * given (a number not configured today may have events from earlier).
     *
     * @throws InvalidRequestException naming what is wrong
     */
    public static void validate(EventFilter f, String field) {
        for (int i = 0; i < f.getKindsCount(); i++) {
            EventKind k = f.getKinds(i);
            if (k == EventKind.EVENT_KIND_UNSPECIFIED || k == EventKind.UNRECOGNIZED) {
                throw InvalidRequestException.of(field + ".kinds[" + i + "]", "unknown event kind "
                        + f.getKindsValue(i));
            }
        }
        for (int i = 0; i < f.getNumbersCount(); i++) {
            if (f.getNumbers(i).isBlank()) {
                throw InvalidRequestException.of(field + ".numbers[" + i + "]", "must not be empty");
            }
        }
    }

    public static Predicate<Event> matcher(EventFilter f) {
        Set<EventKind> kinds = f.getKindsCount() == 0 ? EnumSet.allOf(EventKind.class) : EnumSet.copyOf(f.getKindsList());
        Set<String> numbers = new HashSet<>(f.getNumbersList());
        boolean anyNumber = numbers.isEmpty();
        return e -> kinds.contains(e.getKind())
                && (anyNumber || numbers.contains(e.getNumber()) || numbers.contains(e.getPhoneNumberId()));
    }

    /** Events of one conversation (our number, the user) reach each group in offset order. */
    public static String conversationOf(Event e) {
        return e.getPhoneNumberId() + '/' + e.getUser();
    }

    /** Same filter, ignoring the order of its lists. */
    public static boolean same(EventFilter a, EventFilter b) {
        return new HashSet<>(a.getNumbersList()).equals(new HashSet<>(b.getNumbersList()))
                && new HashSet<>(a.getKindsList()).equals(new HashSet<>(b.getKindsList()));
    }
}
