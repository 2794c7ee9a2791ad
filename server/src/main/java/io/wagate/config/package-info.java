/** One immutable, validated configuration tree (Java records) loaded from one YAML file. */
package io.wagate.config;
