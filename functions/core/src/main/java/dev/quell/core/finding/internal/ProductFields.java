package dev.quell.core.finding.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ASFF finding's {@code ProductFields} string map, with readers for the GuardDuty fields that Security Hub
 * flattens into it.
 *
 * <p>GuardDuty findings as AWS documents them today use keys such as {@code aws/guardduty/service/count}.
 * Events captured in 2019 use the same path without the prefix ({@code count},
 * {@code action/awsApiCallAction/...}). {@link #service} tries both. Values are strings, so {@code "74"} and
 * {@code "false"} are read as numbers and booleans.
 */
public final class ProductFields {

    private static final String SERVICE_PREFIX = "aws/guardduty/service/";
    private static final String ACTION = "action/";

    private final Map<String, String> values;

    private ProductFields(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads an ASFF {@code ProductFields} object. ASFF allows only string values, but a number or boolean is read
     * as its text, the same way GuardDuty's own fields accept both {@code true} and {@code "true"}. Objects,
     * arrays and nulls are skipped.
     */
    public static ProductFields read(Node productFields) {
        return readPrefixed(productFields, "");
    }

    /**
     * Reads the keys of {@code map} that start with {@code prefix}, without the prefix. OCSF findings from Security
     * Lake keep ASFF product fields in {@code unmapped} under keys such as {@code ProductFields.aws/...}.
     */
    public static ProductFields readPrefixed(Node map, String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        map.fields().forEach((key, value) -> {
            String text = value.present() && value.json().isValueNode() ? value.json().asText() : null;
            if (key.startsWith(prefix) && text != null && !text.isBlank()) {
                values.put(key.substring(prefix.length()), text);
            }
        });
        return new ProductFields(values);
    }

    public String get(String key) {
        return values.get(key);
    }

    /** Returns the value of the first key that ends with {@code suffix}, in document order, or null. */
    public String firstEndingWith(String suffix) {
        return values.entrySet().stream()
                .filter(entry -> entry.getKey().endsWith(suffix))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    /** Returns the GuardDuty service field at {@code path}, with or without the {@code aws/guardduty/service/}. */
    public String service(String path) {
        String prefixed = values.get(SERVICE_PREFIX + path);
        return prefixed != null ? prefixed : values.get(path);
    }

    /** Returns whether a GuardDuty service field is the string {@code "true"}, in any case. */
    public boolean serviceFlag(String path) {
        String value = service(path);
        return value != null && "true".equalsIgnoreCase(value.trim());
    }

    /**
     * Returns whether GuardDuty's sample marker is set: {@code additionalInfo/sample} is "true", or the JSON
     * string in {@code additionalInfo} or {@code additionalInfo/value} has {@code "sample": true}.
     */
    public boolean sample() {
        return serviceFlag("additionalInfo/sample")
                || SampleMarkers.inJsonText(service("additionalInfo"))
                || SampleMarkers.inJsonText(service("additionalInfo/value"));
    }

    /** Adds the remote IPs, ports and domains of the flattened GuardDuty {@code action} fields. */
    public void collectIndicators(IndicatorCollector collector) {
        values.forEach((key, value) -> {
            if (key.startsWith(SERVICE_PREFIX + ACTION) || key.startsWith(ACTION)) {
                collectIndicator(key, value, collector);
            }
        });
    }

    private static void collectIndicator(String key, String value, IndicatorCollector collector) {
        if (key.endsWith("remoteIpDetails/ipAddressV4") || key.endsWith("remoteIpDetails/ipAddressV6")) {
            collector.addIp(value);
        } else if (key.endsWith("remotePortDetails/port") || key.endsWith("localPortDetails/port")) {
            collector.addPort(value);
        } else if (key.endsWith("dnsRequestAction/domain") || key.endsWith("domainDetails/domain")) {
            collector.addDomain(value);
        }
    }
}
