/** Parsing of command-line values (durations, times, event-log positions, priorities, states, event kinds, coordinates) into picocli converters. */
package io.wagate.cli.args;
