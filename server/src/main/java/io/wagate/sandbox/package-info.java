/**
 * A faithful local emulator of Meta's WhatsApp Cloud API messages endpoint (auth, validation,
 * response and error envelopes, scripted faults) for {@code --sandbox} and for tests over real
 * sockets.
 */
package io.wagate.sandbox;
