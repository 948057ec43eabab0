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

    private static final String DUPLICATE_RULE = "InvalidPermission.Duplicate";
    private static final String MISSING_RULE = "InvalidPermission.NotFound";

    /** Group ids by account, region and VPC, kept for the life of the process. */
    private final Map<String, Pair> cache = new ConcurrentHashMap<>();

    /** The two group ids of one VPC. */
    record Pair(String allAllowId, String isolationId) {
    }

    /** Returns the VPC's groups, finding or creating them, and strips any rule someone added to the isolation one. */
    Pair forVpc(Ec2Client ec2, String cacheKey, String vpcId) {
        Pair cached = cache.get(cacheKey + "|" + vpcId);
        if (cached != null) {
            return cached;
        }
        Pair pair = findOrCreate(ec2, vpcId);
        cache.put(cacheKey + "|" + vpcId, pair);
        return pair;
    }

    /** Forgets a VPC's groups, after a call reported one of them missing. */
    void forget(String cacheKey, String vpcId) {
        cache.remove(cacheKey + "|" + vpcId);
    }

    private Pair findOrCreate(Ec2Client ec2, String vpcId) {
        List<SecurityGroup> existing = ec2.describeSecurityGroups(request -> request.filters(
                Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("group-name").values(ISOLATION_NAME, ALL_ALLOW_NAME).build()))
                .securityGroups();
        String isolation = named(existing, ISOLATION_NAME)
                .map(group -> stripRules(ec2, group))
                .orElseGet(() -> createIsolation(ec2, vpcId));
        String allAllow = named(existing, ALL_ALLOW_NAME).map(group -> completeAllAllow(ec2, group))
                .orElseGet(() -> createAllAllow(ec2, vpcId));
        return new Pair(allAllow, isolation);
    }

    private static Optional<SecurityGroup> named(List<SecurityGroup> groups, String name) {
        return groups.stream().filter(group -> name.equals(group.groupName())).findFirst();
    }

    private String createIsolation(Ec2Client ec2, String vpcId) {
        String id = create(ec2, vpcId, ISOLATION_NAME, "Quell isolation: no inbound or outbound rules");
        if (id == null) {
            return findOrCreate(ec2, vpcId).isolationId();
        }
        SecurityGroup created = ec2.describeSecurityGroups(request -> request.groupIds(id)).securityGroups().get(0);
        return stripRules(ec2, created);
    }

    private String createAllAllow(Ec2Client ec2, String vpcId) {
        String id = create(ec2, vpcId, ALL_ALLOW_NAME,
                "Quell isolation, first step: allows all traffic so open connections become untracked");
        if (id == null) {
            return findOrCreate(ec2, vpcId).allAllowId();
        }
        allowAll(ec2, id);
        return id;
    }

    /**
     * Returns the id of an all-allow group found by name, first adding its rules if they are missing. A run that
     * stopped between creating the group and adding its rules leaves a group with the right name and no rules,
     * and moving interfaces onto that group would not untrack their connections.
     */
    private static String completeAllAllow(Ec2Client ec2, SecurityGroup group) {
        boolean ingress = group.ipPermissions().stream().anyMatch(rule -> "-1".equals(rule.ipProtocol())
                && rule.ipRanges().stream().anyMatch(range -> "0.0.0.0/0".equals(range.cidrIp()))
                && rule.ipv6Ranges().stream().anyMatch(range -> "::/0".equals(range.cidrIpv6())));
        boolean egress = group.ipPermissionsEgress().stream().anyMatch(rule -> "-1".equals(rule.ipProtocol())
                && rule.ipv6Ranges().stream().anyMatch(range -> "::/0".equals(range.cidrIpv6())));
        if (!ingress || !egress) {
            allowAll(ec2, group.groupId());
        }
        return group.groupId();
    }

    /**
     * Adds the allow-everything rules to the all-allow group. A rule that is already there counts as added: EC2
     * reports it as {@code InvalidPermission.Duplicate}, also to a retried call whose first response was lost.
     */
    private static void allowAll(Ec2Client ec2, String id) {
        IpPermission everything = IpPermission.builder().ipProtocol("-1")
                .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
                .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build())
                .build();
        ignoring(DUPLICATE_RULE, () -> ec2.authorizeSecurityGroupIngress(request -> request.groupId(id)
                .ipPermissions(everything)));
        IpPermission ipv6Egress = IpPermission.builder().ipProtocol("-1")
                .ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build()).build();
        ignoring(DUPLICATE_RULE, () -> ec2.authorizeSecurityGroupEgress(request -> request.groupId(id)
                .ipPermissions(ipv6Egress)));
    }

    /** Runs an EC2 call and treats the given error code as success. */
    private static void ignoring(String errorCode, Runnable call) {
        try {
            call.run();
        } catch (Ec2Exception e) {
            if (!errorCode.equals(InstanceReader.errorCode(e))) {
                throw e;
            }
        }
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

    /**
     * Removes every rule from the isolation group. A rule already gone counts as removed, because a retried call
     * whose first response was lost finds it gone ({@code InvalidPermission.NotFound}).
     */
    private static String stripRules(Ec2Client ec2, SecurityGroup group) {
        if (!group.ipPermissionsEgress().isEmpty()) {
            ignoring(MISSING_RULE, () -> ec2.revokeSecurityGroupEgress(request -> request.groupId(group.groupId())
                    .ipPermissions(group.ipPermissionsEgress())));
        }
        if (!group.ipPermissions().isEmpty()) {
            ignoring(MISSING_RULE, () -> ec2.revokeSecurityGroupIngress(request -> request.groupId(group.groupId())
                    .ipPermissions(group.ipPermissions())));
        }
        return group.groupId();
    }
}
