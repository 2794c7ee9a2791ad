/**
 * The client for Meta's WhatsApp Cloud API messages endpoint: the JSON mapping of every message
 * type, the error-code table with its retry classes, and the HTTP client whose results are data
 * (never exceptions) so the dispatcher can decide what happens next.
 */
package io.wagate.cloudapi;
