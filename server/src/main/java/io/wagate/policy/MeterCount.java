package io.wagate.policy;

/**
 * One cell of the billing meter: how many priced messages share a UTC day, a number, a category,
 * a pricing type, billability and the recipient's country.
 *
 * @param epochDay      UTC day (days since 1970-01-01) of the message's first priced status
 * @param phoneNumberId our number that sent it
 * @param category      Meta's pricing category, with '-' spelt '_' (authentication_international)
 * @param type          Meta's pricing type: regular, free_customer_service, free_entry_point
 * @param billable      whether Meta bills it
 * @param country       ISO 3166 code of the recipient, {@link CallingCodes#UNKNOWN} when unknown
 * @param count         messages
 */
public record MeterCount(long epochDay, String phoneNumberId, String category, String type, boolean billable,
                         String country, long count) {
}
