package io.wagate.policy;

/**
 * What later checks need to know of the template a send uses: its category drives consent
 * (marketing to opted-out users), messaging limits and which clients may send it.
 *
 * @param name     the template's name
 * @param language its language code, such as en_US
 * @param category MARKETING, UTILITY or AUTHENTICATION
 */
public record TemplateInfo(String name, String language, Category category) {

    /** Meta's template categories (reference §6). */
    public enum Category { MARKETING, UTILITY, AUTHENTICATION }
}
