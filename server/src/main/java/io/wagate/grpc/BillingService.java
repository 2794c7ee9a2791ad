package io.wagate.grpc;

import io.grpc.stub.StreamObserver;
import io.wagate.api.v1.BillingDimension;
import io.wagate.api.v1.BillingGrpc;
import io.wagate.api.v1.BillingReport;
import io.wagate.api.v1.BillingReportRequest;
import io.wagate.config.ApplianceConfig;
import io.wagate.config.NumberConfig;
import io.wagate.outbox.InvalidRequestException;
import io.wagate.policy.BillingReporter;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code wagate.v1.Billing} service: reports of the billing meter over a range of UTC days.
 *
 * <p>Threading: each call reads the meter's counts on the calling thread (a bounded scan: at most
 * {@value #MAX_DAYS} days).
 */
public final class BillingService extends BillingGrpc.BillingImplBase {
    /** The longest range one report covers, in days. */
    public static final int MAX_DAYS = 400;

    private final ApplianceConfig config;
    private final BillingReporter reporter;

    public BillingService(ApplianceConfig config, BillingReporter reporter) {
        this.config = config;
        this.reporter = reporter;
    }

    @Override
    public void report(BillingReportRequest request, StreamObserver<BillingReport> out) {
        try {
            LocalDate from = day("from", request.getFrom());
            LocalDate to = day("to", request.getTo());
            if (from.isAfter(to)) {
                throw InvalidRequestException.of("to", "must not be before from (" + from + "), got " + to);
            }
            long days = ChronoUnit.DAYS.between(from, to) + 1;
            if (days > MAX_DAYS) {
                throw InvalidRequestException.of("to", "the range may cover at most " + MAX_DAYS + " days, got "
                        + days + " (" + from + " to " + to + ")");
            }
            for (int i = 0; i < request.getGroupByCount(); i++) {
                BillingDimension d = request.getGroupBy(i);
                if (d == BillingDimension.BILLING_DIMENSION_UNSPECIFIED || d == BillingDimension.UNRECOGNIZED) {
                    throw InvalidRequestException.of("group_by[" + i + "]", "must be BY_NUMBER, BY_CATEGORY,"
                            + " BY_COUNTRY, BY_DAY or BY_PRICING_TYPE, got " + request.getGroupByValue(i));
                }
            }
            Set<String> numbers = new LinkedHashSet<>();
            for (int i = 0; i < request.getNumbersCount(); i++) {
                String n = request.getNumbers(i);
                numbers.add(config.findNumber(n).map(NumberConfig::phoneNumberId)
                        .orElseThrow(() -> InvalidRequestException.of("numbers[" + numbers.size() + "]",
                                "unknown number '" + n + "': give a configured alias or phone-number id")));
            }
            out.onNext(reporter.report(from, to, request.getGroupByList(), numbers));
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(ErrorMapper.toStatus(e));
        }
    }

    private static LocalDate day(String field, String value) {
        if (value.isEmpty()) {
            throw InvalidRequestException.of(field, "is required: a UTC day as YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw InvalidRequestException.of(field, "must be a UTC day as YYYY-MM-DD, got '" + value + "'");
        }
    }
}
