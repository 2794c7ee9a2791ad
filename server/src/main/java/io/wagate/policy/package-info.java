/**
 * WhatsApp's rules as the appliance keeps them: customer-service windows (from inbound messages)
 * today; consent, templates, messaging limits and the billing meter build on them.
 */
package io.wagate.policy;
