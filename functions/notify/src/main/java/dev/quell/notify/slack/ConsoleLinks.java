package dev.quell.notify.slack;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Builds links into the AWS console of a finding's partition and region. Only the three partitions with a public
 * console get links: {@code aws}, {@code aws-cn} and {@code aws-us-gov}.
 */
public final class ConsoleLinks {

    private final String host;
    private final String region;

    private ConsoleLinks(String host, String region) {
        this.host = host;
        this.region = region;
    }

    /**
     * Returns the links for a partition and region, or empty when the partition has no public console or the
     * region is unknown.
     *
     * @param partition the partition, or {@code null} to derive it from the region's prefix
     */
    public static Optional<ConsoleLinks> of(String partition, String region) {
        if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            return Optional.empty();
        }
        String resolved = partition == null || partition.isBlank() ? partitionOf(region) : partition;
        return switch (resolved) {
            case "aws" -> Optional.of(new ConsoleLinks("console.aws.amazon.com", region));
            case "aws-cn" -> Optional.of(new ConsoleLinks("console.amazonaws.cn", region));
            case "aws-us-gov" -> Optional.of(new ConsoleLinks("console.amazonaws-us-gov.com", region));
            default -> Optional.empty();
        };
    }

    /** Returns the partition a region belongs to, from its prefix. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    /** Returns the GuardDuty console's page for one finding. */
    public String guardDutyFinding(String findingId) {
        return "https://" + host + "/guardduty/home?region=" + region + "#/findings?macros=current&fId="
                + encode(findingId);
    }

    /** Returns the Security Hub console's findings page, filtered to the finding with this {@code Id}. */
    public String securityHubFinding(String findingArn) {
        // The console reads the search as "field=operator:value", each part URL-encoded once more.
        String search = "Id=" + encode("\\operator\\:EQUALS\\:" + findingArn);
        return "https://" + host + "/securityhub/home?region=" + region + "#/findings?search=" + encode(search);
    }

    /** Returns the EC2 console's page for one instance. */
    public String ec2Instance(String instanceId) {
        return "https://" + host + "/ec2/home?region=" + region + "#InstanceDetails:instanceId=" + encode(instanceId);
    }

    /** Returns the IAM console's page for a user. IAM is global, so the link names no region. */
    public String iamUser(String userName) {
        return "https://" + host + "/iam/home#/users/details/" + encode(userName);
    }

    /** Returns the IAM console's page for a role. */
    public String iamRole(String roleName) {
        return "https://" + host + "/iam/home#/roles/details/" + encode(roleName);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
