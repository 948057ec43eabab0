package dev.quell.core.finding;

import java.util.List;

/** The network indicators a finding names, each list deduplicated and in the order first seen. */
public record Indicators(List<String> remoteIps, List<String> domains, List<Integer> ports) {

    public static final Indicators NONE = new Indicators(List.of(), List.of(), List.of());

    public Indicators {
        remoteIps = remoteIps == null ? List.of() : List.copyOf(remoteIps.stream().distinct().toList());
        domains = domains == null ? List.of() : List.copyOf(domains.stream().distinct().toList());
        ports = ports == null ? List.of() : List.copyOf(ports.stream().distinct().toList());
    }
}
