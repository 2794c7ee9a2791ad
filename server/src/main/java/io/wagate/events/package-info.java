/**
 * The durable event log: events from webhooks and from the appliance itself, deduplicated by
 * stable id, read by consumer groups with acknowledgements, redelivery and replay.
 */
package io.wagate.events;
