package dev.quell.isolate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The two security groups isolation uses in each VPC, found by name or created once and then reused.
 *
 * <p>The all-allow group admits all traffic from and to {@code 0.0.0.0/0} and {@code ::/0}. Moving an interface
 * onto it makes EC2 stop tracking its connections, because a rule that allows everything needs no tracking. The
 * isolation group has no rules at all, not even the default egress rule, so once the interface moves onto it,
 * the now untracked connections are cut. Moving straight to the isolation group would leave tracked connections
 * (an attacker's open shell) alive. Source: the AWS Security Incident Response Guide and the EC2 documentation
 * on untracked connections.
 */
final class IsolationGroups {

    static final String ISOLATION_NAME = "quell-isolation";
    static final String ALL_ALLOW_NAME = "quell-all-allow";

    /** Group ids by account, region and VPC, kept for the life of the process. */
    private final Map<String, Pair> cache = new ConcurrentHashMap<>();

    /** The two group ids of one VPC. */
    record Pair(String allAllowId, String isolationId) {
    }

    /**
     * Returns the VPC's groups, finding or creating them, and makes their rules what isolation needs: none on the
     * isolation group (any rule someone added is revoked), all traffic on the all-allow group. Concurrent runs in
     * this process wait for one lookup per VPC; runs in other processes may create the same group at the same
     * time, and each step here tolerates the other run's change.
     */
    Pair forVpc(Ec2Client ec2, String cacheKey, String vpcId) {
        return cache.computeIfAbsent(cacheKey + "|" + vpcId, ignored -> findOrCreate(ec2, vpcId));
    }

    /** Forgets a VPC's groups, after a call reported one of them missing. */
    void forget(String cacheKey, String vpcId) {
        cache.remove(cacheKey + "|" + vpcId);
    }

    private Pair findOrCreate(Ec2Client ec2, String vpcId) {
        String isolation = findOrCreate(ec2, vpcId, ISOLATION_NAME, "Quell isolation: no inbound or outbound rules");
        String allAllow = findOrCreate(ec2, vpcId, ALL_ALLOW_NAME,
                "Quell isolation, first step: allows all traffic so open connections become untracked");
        List<SecurityGroup> groups = ec2.describeSecurityGroups(request -> request.groupIds(isolation, allAllow))
                .securityGroups();
        stripRules(ec2, named(groups, ISOLATION_NAME).orElseThrow());
        allowEverything(ec2, named(groups, ALL_ALLOW_NAME).orElseThrow());
        return new Pair(allAllow, isolation);
    }

    private static String findOrCreate(Ec2Client ec2, String vpcId, String name, String description) {
        Optional<SecurityGroup> existing = named(ec2.describeSecurityGroups(request -> request.filters(
                Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("group-name").values(name).build())).securityGroups(), name);
        if (existing.isPresent()) {
            return existing.get().groupId();
        }
        String created = create(ec2, vpcId, name, description);
        return created != null ? created : findOrCreate(ec2, vpcId, name, description);
    }

    private static Optional<SecurityGroup> named(List<SecurityGroup> groups, String name) {
        return groups.stream().filter(group -> name.equals(group.groupName())).findFirst();
    }

    private static void allowEverything(Ec2Client ec2, SecurityGroup group) {
        if (!allowsAll(group.ipPermissions())) {
            tolerating("InvalidPermission.Duplicate", () -> ec2.authorizeSecurityGroupIngress(request -> request
                    .groupId(group.groupId()).ipPermissions(everything())));
        }
        if (!allowsAll(group.ipPermissionsEgress())) {
            tolerating("InvalidPermission.Duplicate", () -> ec2.authorizeSecurityGroupEgress(request -> request
                    .groupId(group.groupId()).ipPermissions(everything())));
        }
    }

    private static boolean allowsAll(List<IpPermission> rules) {
        boolean v4 = rules.stream().anyMatch(rule -> "-1".equals(rule.ipProtocol())
                && rule.ipRanges().stream().anyMatch(range -> "0.0.0.0/0".equals(range.cidrIp())));
        boolean v6 = rules.stream().anyMatch(rule -> "-1".equals(rule.ipProtocol())
                && rule.ipv6Ranges().stream().anyMatch(range -> "::/0".equals(range.cidrIpv6())));
        return v4 && v6;
    }

    private static IpPermission everything() {
        return IpPermission.builder().ipProtocol("-1")
                .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
                .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build())
                .build();
    }

    /** Creates a group and returns its id, or {@code null} when a concurrent run created it first. */
    private static String create(Ec2Client ec2, String vpcId, String name, String description) {
        try {
            return ec2.createSecurityGroup(request -> request.vpcId(vpcId).groupName(name).description(description)
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                            .tags(Tag.builder().key("quell:managed").value("true").build()).build()))
                    .groupId();
        } catch (Ec2Exception e) {
            if ("InvalidGroup.Duplicate".equals(InstanceReader.errorCode(e))) {
                return null;
            }
            throw e;
        }
    }

    private static void stripRules(Ec2Client ec2, SecurityGroup group) {
        if (!group.ipPermissionsEgress().isEmpty()) {
            tolerating("InvalidPermission.NotFound", () -> ec2.revokeSecurityGroupEgress(request -> request
                    .groupId(group.groupId()).ipPermissions(group.ipPermissionsEgress())));
        }
        if (!group.ipPermissions().isEmpty()) {
            tolerating("InvalidPermission.NotFound", () -> ec2.revokeSecurityGroupIngress(request -> request
                    .groupId(group.groupId()).ipPermissions(group.ipPermissions())));
        }
    }

    /** Runs a call whose given error means another run already made the same change. */
    private static void tolerating(String errorCode, Runnable call) {
        try {
            call.run();
        } catch (Ec2Exception e) {
            if (!errorCode.equals(InstanceReader.errorCode(e))) {
                throw e;
            }
        }
    }
}
