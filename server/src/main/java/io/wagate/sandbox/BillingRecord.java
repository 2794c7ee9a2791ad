package io.wagate.sandbox;

/**
 * One message the sandbox priced, as its status webhooks report it (reference §4.6, §7.3): the
 * emulator's own record of what Meta would bill, one per message (not per status), for comparing
 * with a meter ({@link SandboxEmulator#billing()}, {@code GET /_sandbox/billing}).
 *
 * @param wamid the message
 * @param phoneNumberId the business number that sent it
 * @param recipient the recipient's phone digits (or user id), as the status's {@code recipient_id}
 * @param category marketing, utility, authentication or service
 * @param type regular, free_customer_service or free_entry_point
 * @param billable true for {@code regular}
 * @param pricingModel always PMP
 * @param at when it was accepted, in epoch seconds
 */
public record BillingRecord(String wamid, String phoneNumberId, String recipient, String category, String type,
                            boolean billable, String pricingModel, long at) {
}
