/**
 * The HTTP endpoint Meta posts webhooks to: verify handshake, signature check over the raw
 * bytes, splitting into events with stable ids, and answering 200 only once they are durable.
 */
package io.wagate.webhook;
