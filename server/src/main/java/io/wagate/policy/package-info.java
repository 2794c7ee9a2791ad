/**
 * WhatsApp's rules as the appliance keeps them, checked on every send before it is queued
 * ({@link io.wagate.policy.SendPolicy} runs the {@link io.wagate.policy.SendCheck}s): the template
 * catalogue, customer-service windows (from inbound messages), consent, messaging limits,
 * per-client quotas; and the billing meter fed by status webhooks.
 */
package io.wagate.policy;
