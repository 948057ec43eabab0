package dev.quell.core.finding.internal;

import dev.quell.core.finding.Indicators;

/**
 * Reads the network indicators and connection direction from a GuardDuty {@code service.action} object. ASFF's
 * {@code Action} object has the same structure in PascalCase, so the Security Hub parser uses this class too.
 */
public final class GuardDutyActions {

    private GuardDutyActions() {
    }

    /** Returns the indicators of every action detail object ({@code networkConnectionAction} and the others). */
    public static Indicators indicators(Node action) {
        IndicatorCollector collector = new IndicatorCollector();
        collect(action, collector);
        return collector.build();
    }

    /**
     * Adds the remote IPs, domains and ports of each action detail object. Every kind of action keeps them under
     * the same names ({@code remoteIpDetails}, {@code remotePortDetails}, {@code localPortDetails}, {@code domain}),
     * so new action kinds are read without a change here.
     */
    public static void collect(Node action, IndicatorCollector collector) {
        for (Node detail : action.fields().values()) {
            if (detail.isObject()) {
                collectDetail(detail, collector);
            }
        }
    }

    /** Returns {@code networkConnectionAction.connectionDirection}, normalised, or null. */
    public static String connectionDirection(Node action) {
        Node direction = action.field("networkConnectionAction").field("connectionDirection");
        return FindingValues.connectionDirection(direction.text());
    }

    private static void collectDetail(Node detail, IndicatorCollector collector) {
        collector.addRemoteIpDetails(detail.field("remoteIpDetails"));
        collector.addPort(detail.field("remotePortDetails").field("port"));
        collector.addPort(detail.field("localPortDetails").field("port"));
        collector.addDomain(detail.field("domain").text());
        collector.addDomain(detail.field("domainDetails").field("domain").text());
        for (Node probe : detail.field("portProbeDetails").objects()) {
            collector.addRemoteIpDetails(probe.field("remoteIpDetails"));
            collector.addPort(probe.field("localPortDetails").field("port"));
        }
    }
}
