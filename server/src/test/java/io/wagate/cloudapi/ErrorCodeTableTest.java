package io.wagate.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorCodeTableTest {

    /** One row per code: code, retry class, HTTP status. */
    private static final String[] ROWS = {
            "0, AUTH, 401",
            "1, TRANSIENT, 400",
            "2, TRANSIENT, 503",
            "3, PERMANENT, 500",
            "4, QUOTA, 400",
            "10, AUTH, 403",
            "33, PERMANENT, 400",
            "100, PERMANENT, 400",
            "190, AUTH, 401",
            "200, AUTH, 403",
            "368, POLICY, 403",
            "80007, QUOTA, 400",
            "130403, PERMANENT, 400",
            "130429, THROTTLED_NUMBER, 400",
            "130472, PERMANENT, 400",
            "130497, PERMANENT, 400",
            "131000, TRANSIENT, 500",
            "131005, PERMANENT, 403",
            "131008, PERMANENT, 400",
            "131009, PERMANENT, 400",
            "131016, TRANSIENT, 503",
            "131021, PERMANENT, 400",
            "131026, PERMANENT, 400",
            "131031, POLICY, 403",
            "131037, PERMANENT, 400",
            "131042, PERMANENT, 400",
            "131045, PERMANENT, 500",
            "131047, PERMANENT, 400",
            "131048, PERMANENT, 400",
            "131049, RETRY_AFTER_24H, 400",
            "131050, PERMANENT, 400",
            "131051, PERMANENT, 400",
            "131052, PERMANENT, 400",
            "131053, PERMANENT, 400",
            "131055, PERMANENT, 400",
            "131056, THROTTLED_PAIR, 400",
            "131057, MAINTENANCE, 500",
            "131063, PERMANENT, 400",
            "131064, PERMANENT, 400",
            "132000, PERMANENT, 400",
            "132001, PERMANENT, 404",
            "132005, PERMANENT, 400",
            "132007, PERMANENT, 400",
            "132012, PERMANENT, 400",
            "132015, PERMANENT, 400",
            "132016, PERMANENT, 400",
            "132018, PERMANENT, 400",
            "132068, PERMANENT, 400",
            "132069, PERMANENT, 400",
            "133000, PERMANENT, 500",
            "133004, TRANSIENT, 503",
            "133005, PERMANENT, 400",
            "133006, PERMANENT, 400",
            "133008, PERMANENT, 400",
            "133009, PERMANENT, 400",
            "133010, PERMANENT, 400",
            "133015, TRANSIENT, 400",
            "133016, PERMANENT, 400",
            "134011, PERMANENT, 400",
            "134100, PERMANENT, 400",
            "134101, TRANSIENT, 400",
            "134102, TRANSIENT, 500",
            "135000, PERMANENT, 400",
            "1752041, PERMANENT, 400",
            "2494100, MAINTENANCE, 400",
    };

    static Stream<Arguments> rows() {
        return Arrays.stream(ROWS).map(r -> r.replace("\"", "").split(",\\s*"))
                .map(f -> Arguments.of(Integer.parseInt(f[0]), RetryClass.valueOf(f[1]), Integer.parseInt(f[2])));
    }

    @ParameterizedTest(name = "{0} -> {1}, HTTP {2}")
    @MethodSource("rows")
    void code_hasRetryClassAndStatus(int code, RetryClass retryClass, int httpStatus) {
        MetaErrorCode row = ErrorCodeTable.lookup(code).orElseThrow();
        assertThat(row.code()).isEqualTo(code);
        assertThat(row.retryClass()).isEqualTo(retryClass);
        assertThat(row.httpStatus()).isEqualTo(httpStatus);
        assertThat(row.title()).isNotBlank().doesNotStartWith("(#");
        // The table wins over the HTTP status Meta happens to answer with.
        assertThat(ErrorCodeTable.classify(code, 503)).isEqualTo(retryClass);
        assertThat(ErrorCodeTable.classify(code, 400)).isEqualTo(retryClass);
    }

    @Test
    void everyTableRowHasATestRow() {
        Set<Integer> tested = rows().map(a -> (Integer) a.get()[0]).collect(Collectors.toSet());
        Set<Integer> inTable = new HashSet<>();
        ErrorCodeTable.all().forEach(r -> inTable.add(r.code()));
        assertThat(tested).containsExactlyInAnyOrderElementsOf(inTable);
    }

    @ParameterizedTest
    @CsvSource({"201", "250", "299"})
    void permissionFamily_200to299_isAuth(int code) {
        assertThat(ErrorCodeTable.classify(code, 403)).isEqualTo(RetryClass.AUTH);
        assertThat(ErrorCodeTable.httpStatus(code)).isEqualTo(403);
    }

    @ParameterizedTest
    @CsvSource({"500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT", "400, PERMANENT", "404, PERMANENT", "429, PERMANENT"})
    void unknownCode_fallsBackOnHttpStatus(int httpStatus, RetryClass expected) {
        assertThat(ErrorCodeTable.lookup(999_999)).isEmpty();
        assertThat(ErrorCodeTable.classify(999_999, httpStatus)).isEqualTo(expected);
    }

    @Test
    void unknownCode_hasDefaults() {
        assertThat(ErrorCodeTable.title(999_999)).isEqualTo("Unknown error");
        assertThat(ErrorCodeTable.httpStatus(999_999)).isEqualTo(400);
    }

    @Test
    void retryable_isFalseOnlyForPermanentAuthPolicy() {
        assertThat(RetryClass.TRANSIENT.retryable()).isTrue();
        assertThat(RetryClass.THROTTLED_PAIR.retryable()).isTrue();
        assertThat(RetryClass.RETRY_AFTER_24H.retryable()).isTrue();
        assertThat(RetryClass.PERMANENT.retryable()).isFalse();
        assertThat(RetryClass.AUTH.retryable()).isFalse();
        assertThat(RetryClass.POLICY.retryable()).isFalse();
    }
}
