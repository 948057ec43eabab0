package dev.quell.core.finding.internal;

import dev.quell.core.finding.Indicators;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Gathers network indicators from wherever a finding format keeps them and builds {@link Indicators}.
 *
 * <p>Values that responders cannot use are dropped: an IP that is not an address literal, a port that is not a
 * whole number from 0 to 65535, and a blank domain.
 */
public final class IndicatorCollector {

    private static final int MAX_PORT = 65_535;

    private final Set<String> remoteIps = new LinkedHashSet<>();
    private final Set<String> domains = new LinkedHashSet<>();
    private final Set<Integer> ports = new LinkedHashSet<>();

    /** Adds the IPv4 and IPv6 addresses of a GuardDuty {@code remoteIpDetails} object, in either spelling. */
    public void addRemoteIpDetails(Node details) {
        addIp(details.field("ipAddressV4").text());
        addIp(details.field("ipAddressV6").text());
    }

    public void addIp(String ip) {
        if (ip != null && IpLiterals.isIpLiteral(ip.trim())) {
            remoteIps.add(ip.trim());
        }
    }

    public void addDomain(String domain) {
        if (domain != null && !domain.isBlank()) {
            domains.add(domain.trim());
        }
    }

    /** Adds a port given as a number or a numeric string. */
    public void addPort(Node port) {
        Integer value = port.integer();
        if (value != null && value >= 0 && value <= MAX_PORT) {
            ports.add(value);
        }
    }

    /** Adds a port found as text, for example in Security Hub {@code ProductFields}. */
    public void addPort(String port) {
        addPort(Node.fromText(port));
    }

    public Indicators build() {
        return new Indicators(new ArrayList<>(remoteIps), new ArrayList<>(domains), new ArrayList<>(ports));
    }
}
