/** Benchmarks that need the appliance as a process of its own (run by {@code wagate bench ...}, never by the test suite). */
package io.wagate.bench;
