/** Parsing of command-line values (durations, times, priorities, states, coordinates) into picocli converters. */
package io.wagate.cli.args;
